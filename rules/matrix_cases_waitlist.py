"""Access-matrix rows for the waitlist (issue 18).

Read as matrix_cases.py (whose helpers these rows use, and whose CASES
includes them). The fixture documents are matrix_fixtures_waitlist's:
`wl-a` (cust-a's, naming prov-p), `wl-b` (cust-b's, any provider) and
`wl-a-booked`. The REST API answers the same (api/routers/waitlist.py).
"""

from __future__ import annotations

from matrix_cases import allow, but, deny, long, q
from matrix_client import DELETE
from support.emulator import SERVER_TIME

NEW = "waitlist/*"
ENTRY_A = {
    "customerId": "cust-a", "appointmentTypeId": "consult", "providerId": "prov-p", "firstDay": "2030-01-07",
    "lastDay": "2030-01-18", "weekdays": [1, 2, 3, 4, 5], "after": "17:00", "before": "20:00",
    "timeZone": "Europe/London", "mode": "book", "status": "waiting", "createdAt": SERVER_TIME,
}
ANY_PROVIDER = but(ENTRY_A, providerId=DELETE, weekdays=DELETE, after=DELETE, before=DELETE, mode="notify")
WITHDRAW = {"status": "withdrawn"}

WAITLIST = [
    # reads: customers their own, staff the entries naming their provider, admins all
    allow("customerA", "get", "waitlist/wl-a", "a customer reads its own entry"),
    deny("customerB", "get", "waitlist/wl-a", "another customer's entry"),
    allow("providerP", "get", "waitlist/wl-a", "staff read an entry naming their provider"),
    deny("providerQ", "get", "waitlist/wl-a", "staff of another provider"),
    deny("providerP", "get", "waitlist/wl-b", "staff read no any-provider entry"),
    deny("anonymous", "get", "waitlist/wl-a", "signed out"),
    allow("admin", "get", "waitlist/wl-b", "admins read any entry"),
    allow("customerA", "list", q("waitlist", ("customerId", "==", "cust-a")), "own entries"),
    deny("customerA", "list", q("waitlist"), "unfiltered list would leak others"),
    allow("providerP", "list", q("waitlist", ("providerId", "==", "prov-p")), "staff list their provider's"),
    deny("providerP", "list", q("waitlist", ("providerId", "==", "prov-q")), "staff list another provider's"),
    allow("admin", "list", q("waitlist"), "admins list every entry"),
    # create: one's own, exactly the client contract
    allow("customerA", "create", NEW, "a customer joins for one provider", ENTRY_A),
    allow("customerB", "create", NEW, "a customer asks to be told for any provider",
          but(ANY_PROVIDER, customerId="cust-b")),
    deny("customerA", "create", NEW, "for another customer", but(ENTRY_A, customerId="cust-b")),
    deny("admin", "create", NEW, "admins join through the API", ENTRY_A),
    deny("anonymous", "create", NEW, "signed out", ENTRY_A),
    deny("customerA", "create", "waitlist/wl.a", "an entry id with a dot", ENTRY_A),
    deny("customerA", "create", NEW, "missing mode", but(ENTRY_A, mode=DELETE)),
    deny("customerA", "create", NEW, "extra field appointmentId", but(ENTRY_A, appointmentId="x")),
    deny("customerA", "create", NEW, "appointmentTypeId over 128", but(ENTRY_A, appointmentTypeId=long(129))),
    deny("customerA", "create", NEW, "providerId with a slash", but(ENTRY_A, providerId="prov/p")),
    deny("customerA", "create", NEW, "timeZone not a string", but(ENTRY_A, timeZone=1)),
    deny("customerA", "create", NEW, "empty timeZone", but(ENTRY_A, timeZone="")),
    deny("customerA", "create", NEW, "mode neither book nor notify", but(ENTRY_A, mode="grab")),
    deny("customerA", "create", NEW, "status booked", but(ENTRY_A, status="booked")),
    deny("customerA", "create", NEW, "createdAt from the client clock", but(ENTRY_A, createdAt="2030-01-01")),
    # the window
    deny("customerA", "create", NEW, "firstDay not a date", but(ENTRY_A, firstDay="7 Jan")),
    deny("customerA", "create", NEW, "lastDay not a date", but(ENTRY_A, lastDay="2030-13-01")),
    deny("customerA", "create", NEW, "lastDay before firstDay", but(ENTRY_A, lastDay="2030-01-06")),
    deny("customerA", "create", NEW, "lastDay 92 days after firstDay", but(ENTRY_A, lastDay="2030-04-09")),
    allow("customerA", "create", NEW, "lastDay 91 days after firstDay", but(ENTRY_A, lastDay="2030-04-08")),
    deny("customerA", "create", NEW, "weekdays not a list", but(ENTRY_A, weekdays="mon")),
    deny("customerA", "create", NEW, "eight weekdays", but(ENTRY_A, weekdays=[1, 2, 3, 4, 5, 6, 7, 1])),
    deny("customerA", "create", NEW, "weekday 0", but(ENTRY_A, weekdays=[0, 1])),
    deny("customerA", "create", NEW, "after not a time of day", but(ENTRY_A, after="5pm")),
    deny("customerA", "create", NEW, "before not a time of day", but(ENTRY_A, before="24:00")),
    deny("customerA", "create", NEW, "before not later than after", but(ENTRY_A, before="17:00")),
    allow("customerA", "create", NEW, "only after", but(ENTRY_A, before=DELETE)),
    # withdraw: the customer's own active entry, status only
    allow("customerA", "update", "waitlist/wl-a", "a customer withdraws its own entry", WITHDRAW),
    deny("customerB", "update", "waitlist/wl-a", "another customer's entry", WITHDRAW),
    deny("customerA", "update", "waitlist/wl-a-booked", "an entry already booked", WITHDRAW),
    deny("customerA", "update", "waitlist/wl-a", "to booked", {"status": "booked"}),
    deny("customerA", "update", "waitlist/wl-a", "withdrawn and the window changed",
         {"status": "withdrawn", "lastDay": "2030-02-01"}),
    deny("admin", "update", "waitlist/wl-a", "admins withdraw through the API", WITHDRAW),
    deny("customerA", "delete", "waitlist/wl-a", "nobody deletes an entry"),
    deny("admin", "delete", "waitlist/wl-a", "not even admins"),
]
