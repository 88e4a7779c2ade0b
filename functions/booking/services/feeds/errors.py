"""The one error a feed fetch or parse raises: a stable code for the feed's
status (what the admin sees) and a message for people."""

from __future__ import annotations


class FeedError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
