"""The in-memory FakeStore and the real FirestoreStore both implement the
whole `Store` port, method for method with the port's parameters, so a
service tested on the fake calls the real store the same way."""

from __future__ import annotations

import inspect

import pytest
from booking.services.ports import Store
from booking.store.firestore_store import FirestoreStore
from fake_store import FakeStore

PORT_METHODS = sorted(name for name, member in vars(Store).items()
                      if inspect.isfunction(member) and not name.startswith("_"))
PORT_ATTRIBUTES = sorted(name for name in Store.__annotations__ if name not in PORT_METHODS)
STORES = [FakeStore, FirestoreStore]


def _parameters(function) -> list[tuple[str, inspect._ParameterKind]]:
    return [(p.name, p.kind) for p in inspect.signature(function).parameters.values()]


def test_reading_the_port_finds_its_methods_and_its_counts_attribute():
    assert "commit" in PORT_METHODS and "sheets" in PORT_METHODS and PORT_ATTRIBUTES == ["counts"]


def test_the_fake_store_declares_that_it_implements_the_port():
    # Store is a Protocol without @runtime_checkable: issubclass() refuses it.
    assert Store in FakeStore.__mro__


@pytest.mark.parametrize("store", STORES, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("method", PORT_METHODS)
def test_a_store_implements_each_port_method_with_the_ports_parameters(store, method):
    implementation = getattr(store, method, None)
    # A subclass of the Protocol inherits its `...` stubs: those do not count.
    assert implementation is not None and implementation is not vars(Store)[method], f"{store.__name__}.{method} missing"
    assert _parameters(implementation) == _parameters(vars(Store)[method])


@pytest.mark.parametrize("store", [FakeStore(), FirestoreStore(client=None)], ids=lambda s: type(s).__name__)
def test_a_store_has_each_port_attribute(store):
    for attribute in PORT_ATTRIBUTES:
        assert hasattr(store, attribute), attribute
