"""Callables: slot search, synchronous booking and cancel for client apps."""

from __future__ import annotations

from typing import Any

from booking.entry import runtime
from firebase_functions import https_fn

@https_fn.on_call()
def search_slots(req: https_fn.CallableRequest) -> Any:
    from booking.api import callables

    return callables.search_slots(callables.new_repository, req, now=runtime.now())


@https_fn.on_call()
def book_appointment(req: https_fn.CallableRequest) -> Any:
    from booking.api import callables

    return callables.book_appointment(callables.new_repository, req, now=runtime.now())


@https_fn.on_call()
def cancel_appointment(req: https_fn.CallableRequest) -> Any:
    from booking.api import callables

    return callables.cancel_appointment(callables.new_repository, req, now=runtime.now())
