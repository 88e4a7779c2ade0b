"""The layers' dependency rule, read from the source: the domain imports no
other layer and no Firebase, and the store needs from the services only
their port. So a rule such as the day-sheet ledger has its one home in the
domain, where the store and the services both find it."""

from __future__ import annotations

import ast
from pathlib import Path

import booking

PACKAGE = Path(booking.__file__).parent
OTHER_LAYERS = ("booking.services", "booking.store", "booking.api")
FIREBASE = ("google", "firebase_admin", "firebase_functions")
PORT = "booking.services.ports"


def _absolute(node: ast.ImportFrom, layer: str) -> str:
    if node.level == 0:
        return node.module or ""
    # `from .x` is booking.<layer>.x, `from ..x` is booking.x
    package = ["booking", layer][: 3 - node.level]
    return ".".join([*package, *([node.module] if node.module else [])])


def imports_of(layer: str) -> dict[str, set[str]]:
    """Each module of the layer and every dotted name it imports (for
    `from a import b`: both `a` and `a.b`, so `from booking import services`
    counts as importing `booking.services`)."""
    found = {}
    for path in sorted((PACKAGE / layer).glob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                module = _absolute(node, layer)
                names.add(module)
                names.update(f"{module}.{alias.name}" for alias in node.names)
        found[path.name] = names
    return found


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_domain_imports_no_other_layer_and_no_firebase():
    outside = {
        module: sorted(n for n in names
                       if any(_within(n, p) for p in OTHER_LAYERS) or n.split(".")[0] in FIREBASE)
        for module, names in imports_of("domain").items()
    }
    assert {m: names for m, names in outside.items() if names} == {}


def test_the_store_needs_from_the_services_only_their_port():
    beyond_port = {
        module: sorted(n for n in names if _within(n, "booking.services") and not _within(n, PORT))
        for module, names in imports_of("store").items()
    }
    assert {m: names for m, names in beyond_port.items() if names} == {}


def test_the_reading_of_imports_sees_relative_and_package_imports():
    # Guards the two checks above against passing because they read nothing.
    store = imports_of("store")
    assert PORT in store["converters.py"]
    assert "booking.domain.models" in imports_of("domain")["slots.py"]
