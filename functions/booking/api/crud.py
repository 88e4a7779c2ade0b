"""The API's data layer for lists: one way to answer a list request.

A router builds the typed query (`booking.store.queries`) from its
parameters and its access policy; `page_of` reads that page through the
repository, shows each model as the response schema wants it, and turns
the page cursor into `nextPageToken`. Routers thus never see collections,
document fields or converters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from booking.api.deps import PageParams, encode_token
from booking.store.queries import Page, Query

Q = TypeVar("Q", bound=Query, contravariant=True)
M = TypeVar("M")


class PageReader(Protocol[Q, M]):
    """A repository's `*_page` method."""

    def __call__(self, query: Q, *, page_size: int, after: list[Any] | None = None) -> Page[M]: ...


def page_of(read: PageReader[Q, M], query: Q, paging: PageParams,
            show: Callable[[M], Any] | None = None) -> dict[str, Any]:
    """The response body of one list page: its items (through `show`) and
    the token of the next page (None on the last). A page token that is not
    one of this list's is refused with 400 before anything is read."""
    page = read(query, page_size=paging.page_size, after=paging.after(query.cursor_length))
    items = page.items if show is None else [show(item) for item in page.items]
    return {"items": items, "nextPageToken": encode_token(page.cursor) if page.cursor else None}
