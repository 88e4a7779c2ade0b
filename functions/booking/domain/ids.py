"""Document ids: the one alphabet for ids that clients and admins choose.

Every id a client app or an admin picks for a new document (a booking
request, an appointment type, a provider, a customer through the API) and
every id a booking request refers to must be a *safe id*: 1 to 128
characters, each an ASCII letter, a digit, ``_`` or ``-``, and not of the
form ``__name__`` that Firestore reserves.

Why so narrow: the backend derives other document names from these ids
(``mail/{id}-confirmed``, ``slots/{providerId}_{date}``), so an id near
Firestore's 1,500-byte limit pushes a derived name over it; ids with
spaces, dots or slashes are trimmed, split or refused by parts of the
Firebase stack (the functions SDK's path matching, the emulator) before
our code sees them. `firestore.rules` enforces the same pattern
(``isSafeId``).

Firebase Auth's own uids (28 letters and digits) are safe ids. A custom
token may carry another uid (an email, say); such a user cannot have a
customer profile or book: the rules refuse its writes and the API answers
422. Mint custom-token uids inside the alphabet (for example a hash).

`is_document_id` is the looser test of what Firestore itself accepts: the
store uses it to guard reads of ids that may come from the console.
"""

from __future__ import annotations

import re
from typing import Any

ID_MAX = 128
SAFE_ID_PATTERN = rf"^[A-Za-z0-9_-]{{1,{ID_MAX}}}$"
SAFE_ID_RULE = f"1 to {ID_MAX} characters, each a letter A-Z or a-z, a digit, '_' or '-' (not __like_this__)"
FIRESTORE_ID_MAX_BYTES = 1500

_SAFE_ID = re.compile(SAFE_ID_PATTERN)
_RESERVED_ID = re.compile(r"^__.*__$", re.DOTALL)


def is_safe_id(value: Any) -> bool:
    """Whether `value` is an id of the backend's alphabet (SAFE_ID_PATTERN)
    that Firestore does not reserve (`__name__` forms)."""
    # fullmatch: a bare `$` would also accept a trailing newline
    return (isinstance(value, str) and _SAFE_ID.fullmatch(value) is not None
            and not _RESERVED_ID.match(value))


def is_document_id(value: Any) -> bool:
    """Whether `value` can name a Firestore document at all: Firestore
    refuses `.`, `..`, ids with a slash, `__reserved__` ones and ids over
    1,500 bytes."""
    return (
        isinstance(value, str)
        and bool(value)
        and value not in (".", "..")
        and "/" not in value
        and not _RESERVED_ID.match(value)
        and len(value.encode("utf-8", "surrogatepass")) <= FIRESTORE_ID_MAX_BYTES
    )
