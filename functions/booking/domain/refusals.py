"""One refusal vocabulary: whatever the backend refuses (a booking
rejected, a cancel too late, an API call not allowed) is a `Refusal` with a
stable `code` and a message for people. Booking rejections use their
`Reason` value as the code. How a code reaches a client (HTTP status,
callable error code) is one table, in `booking.api.errors`."""

from __future__ import annotations


class Refusal(Exception):
    def __init__(self, code: str, message: str, **extra: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra
