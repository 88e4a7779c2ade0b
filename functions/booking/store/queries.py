"""What the API may ask the repository to list, as typed queries, and the
page of domain models it gets back; the repository maps them onto
collections and fields.

Pagination is keyset based: a page is ordered by its query's sort fields
and then by document id, and the cursor is the last document's sort values
and id (`Page.cursor`), which the API encodes into an opaque page token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from booking.domain.customer_search import PREFIX_END

T = TypeVar("T")


@dataclass(frozen=True)
class Filter:
    field: str
    op: str
    value: Any


@dataclass
class Page(Generic[T]):
    items: list[T]  # the page's documents that validate
    cursor: list[Any] | None  # sort values then id of the last document, when more may follow


class Query:
    """What a list page selects; it is ordered by `order_by`, then by id."""

    order_by: ClassVar[tuple[str, ...]] = ()

    def filters(self) -> list[Filter]:
        return []

    @property
    def cursor_length(self) -> int:
        """How many values a cursor of this list holds: its sort values and the id."""
        return len(self.order_by) + 1


def _equal(**fields: Any) -> list[Filter]:
    """field == value for every value given (None: not filtered on)."""
    return [Filter(field, "==", value) for field, value in fields.items() if value is not None]


@dataclass(frozen=True)
class TypeQuery(Query):
    active: bool | None = None

    def filters(self) -> list[Filter]:
        return _equal(active=self.active)


@dataclass(frozen=True)
class ProviderQuery(Query):
    active: bool | None = None
    offers: str | None = None  # an appointment type id

    def filters(self) -> list[Filter]:
        found = _equal(active=self.active)
        if self.offers is not None:
            found.append(Filter("typeIds", "array_contains", self.offers))
        return found


@dataclass(frozen=True)
class CustomerQuery(Query):
    pass


@dataclass(frozen=True)
class CustomerSearchQuery(Query):
    """Customers whose search key `field` (name, email or phone:
    domain/customer_search.py) starts with `prefix`, ordered by that key."""

    field: str
    prefix: str

    @property  # type: ignore[override]
    def order_by(self) -> tuple[str, ...]:  # the key searched on is the one ordered by
        return (f"search.{self.field}",)

    def filters(self) -> list[Filter]:
        key = f"search.{self.field}"
        return [Filter(key, ">=", self.prefix), Filter(key, "<", self.prefix + PREFIX_END)]


@dataclass(frozen=True)
class AppointmentQuery(Query):
    provider_id: str | None = None
    customer_id: str | None = None
    appointment_type_id: str | None = None
    status: str | None = None
    start_from: datetime | None = None  # start >= start_from
    start_to: datetime | None = None  # start < start_to

    order_by: ClassVar[tuple[str, ...]] = ("start",)

    def filters(self) -> list[Filter]:
        found = _equal(providerId=self.provider_id, customerId=self.customer_id,
                       appointmentTypeId=self.appointment_type_id, status=self.status)
        if self.start_from is not None:
            found.append(Filter("start", ">=", self.start_from))
        if self.start_to is not None:
            found.append(Filter("start", "<", self.start_to))
        return found
