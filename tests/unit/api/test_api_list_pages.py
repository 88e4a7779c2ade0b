"""Every list of the REST API is answered by one helper (`booking.api.crud`)
over the repository's typed queries: the page token carries the cursor of
the query's own sort order, and an appointment is shown as it is stored,
less the ledger's bookkeeping."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from booking.api.crud import page_of
from booking.api.deps import PageParams, decode_token, encode_token
from booking.api.errors import ApiError
from booking.api.routers.appointments import out
from booking.api.schemas import AppointmentOut
from booking.domain.appointments import Appointment, AppointmentStatus
from booking.store import converters
from booking.store.queries import AppointmentQuery, Filter, Page, ProviderQuery, TypeQuery

START = datetime(2031, 1, 6, 9, tzinfo=UTC)
ROUTERS = Path(__file__).resolve().parents[3] / "functions" / "booking" / "api" / "routers"


class Reader:
    """A repository `*_page` method that remembers what it was asked."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.asked: list[tuple] = []

    def __call__(self, query, *, page_size, after=None) -> Page:
        self.asked.append((query, page_size, after))
        return self.page


def test_a_page_shows_each_item_and_hands_its_cursor_on_as_the_next_page_token():
    read = Reader(Page([1, 2], [START, "a2"]))

    body = page_of(read, AppointmentQuery(), PageParams(page_size=2, page_token=None), show=str)

    assert body["items"] == ["1", "2"]
    assert decode_token(body["nextPageToken"], 2) == [START, "a2"]
    assert read.asked == [(AppointmentQuery(), 2, None)]


def test_the_last_page_has_no_next_page_token():
    body = page_of(Reader(Page(["t1"], None)), TypeQuery(), PageParams(page_size=5, page_token=None))

    assert body == {"items": ["t1"], "nextPageToken": None}


def test_the_next_page_is_read_after_the_cursor_its_token_carries():
    read = Reader(Page([], None))

    page_of(read, AppointmentQuery(), PageParams(page_size=7, page_token=encode_token([START, "a6"])))

    assert read.asked[0][2] == [START, "a6"]


def test_a_token_from_a_list_with_another_sort_order_is_refused_before_any_read():
    read = Reader(Page([], None))
    appointments_token = encode_token([START, "a6"])

    with pytest.raises(ApiError) as refused:
        page_of(read, TypeQuery(), PageParams(page_size=7, page_token=appointments_token))

    assert (refused.value.status, refused.value.code) == (400, "invalid_page_token")
    assert read.asked == []


def test_appointments_are_listed_by_start_and_filtered_only_on_what_was_given():
    query = AppointmentQuery(provider_id="dr-ada", status="confirmed", start_to=START)

    assert query.order_by == ("start",) and query.cursor_length == 2
    assert query.filters() == [Filter("providerId", "==", "dr-ada"), Filter("status", "==", "confirmed"),
                               Filter("start", "<", START)]


def test_providers_are_listed_by_id_filtered_on_active_and_the_type_they_offer():
    query = ProviderQuery(active=True, offers="consult")

    assert query.cursor_length == 1
    assert query.filters() == [Filter("active", "==", True), Filter("typeIds", "array_contains", "consult")]
    assert ProviderQuery().filters() == [] and TypeQuery(active=False).filters() == [Filter("active", "==", False)]


def test_an_appointment_is_shown_as_stored_without_the_ledgers_bookkeeping():
    appointment = Appointment(
        id="a1", provider_id="dr-ada", customer_id="grace", appointment_type_id="consult",
        start=START, end=START.replace(minute=30), block_start=START, block_end=START.replace(minute=40),
        status=AppointmentStatus.CANCELLED, request_id="a1", time_zone="UTC", cancellable_until=START,
        customer_name="Grace Hopper", notes=None, cancel_reason="ill", held=True,
        history=[{"at": START, "status": "cancelled", "by": "grace"}])
    # the ledger's and the invitations' bookkeeping (the .ics carries the UID and SEQUENCE)
    ledger_only = ("blockStart", "blockEnd", "held", "calendarUid", "calendarSequence")
    as_stored = {"id": "a1", **{k: v for k, v in converters.appointment_to(appointment).items()
                               if k not in ledger_only}}

    shown = AppointmentOut.model_validate(out(appointment)).model_dump(mode="json", by_alias=True)

    assert shown == AppointmentOut.model_validate(as_stored).model_dump(mode="json", by_alias=True)
    assert shown["status"] == "cancelled" and shown["cancelReason"] == "ill"
    assert not set(ledger_only) & set(shown)


def _imported(module: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.ImportFrom):
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
            names.add(node.module or "")
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("router", sorted(ROUTERS.glob("*.py")), ids=lambda p: p.stem)
def test_no_router_knows_collections_or_document_fields(router):
    store_internals = {"booking.store.converters", "booking.store.paths"}

    assert not store_internals & _imported(router)
