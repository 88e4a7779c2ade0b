"""Access-matrix rows for time off and calendar feeds (issue 12).

Read as matrix_cases.py (whose helpers these rows use, and whose CASES
includes them). The fixture documents are matrix_fixtures.time_off_documents:
`to-p` (prov-p's meeting, by staff-p), `to-q` (prov-q's), `to-pq` (shared by
both, by an admin), `to-closure` (all providers, whole days), `feed_0f` (a
feed import of prov-p) and `calendarFeeds/prov-p`.

The REST API answers the same (booking/api/policies.py, the time-off part).
"""

from __future__ import annotations

from matrix_cases import allow, but, deny, long, q
from matrix_client import DELETE
from matrix_fixtures import DAY, Rel
from support.emulator import SERVER_TIME

NEW = "timeOff/*"

MEETING_P = {  # staff-p's own meeting, instant form
    "providerIds": ["prov-p"],
    "start": Rel(12 * DAY),
    "end": Rel(12 * DAY + 60),
    "title": "Dentist",
    "source": "manual",
    "createdBy": "staff-p",
}
HOLIDAY_P = {  # whole days
    "providerIds": ["prov-p"],
    "allDay": True,
    "startDate": "2031-01-01",
    "endDate": "2031-01-14",
    "title": "Holiday",
    "source": "manual",
    "createdBy": "staff-p",
}
CLOSURE = {  # the whole business, by an admin
    "allProviders": True,
    "allDay": True,
    "startDate": "2031-12-25",
    "endDate": "2031-12-25",
    "title": "Christmas",
    "source": "manual",
    "createdBy": "admin-1",
}
BY_ADMIN = but(MEETING_P, createdBy="admin-1")
EDIT = {"title": "Team meeting"}

TIME_OFF = [
    # reads: admins all; staff their provider's and the closures; customers never
    allow("providerP", "get", "timeOff/to-p", "staff read their provider's time off"),
    deny("providerQ", "get", "timeOff/to-p", "staff of another provider"),
    deny("customerA", "get", "timeOff/to-p", "customers never read time off (private title)"),
    deny("anonymous", "get", "timeOff/to-p", "signed out"),
    allow("admin", "get", "timeOff/to-q", "admins read any time off"),
    allow("providerP", "get", "timeOff/to-closure", "staff read the business closures"),
    allow("providerQ", "get", "timeOff/to-pq", "staff read a time off shared with their provider"),
    allow("providerP", "list", q("timeOff", ("providerIds", "array-contains", "prov-p")),
          "staff list their provider's time off"),
    deny("providerP", "list", q("timeOff", ("providerIds", "array-contains", "prov-q")),
         "staff list another provider's time off"),
    deny("providerP", "list", q("timeOff"), "unfiltered list by staff"),
    allow("providerQ", "list", q("timeOff", ("allProviders", "==", True)), "staff list the closures"),
    deny("customerA", "list", q("timeOff", ("allProviders", "==", True)), "customers list the closures"),
    allow("admin", "list", q("timeOff"), "admins list all time off"),
    # create: who
    allow("providerP", "create", NEW, "staff add a meeting of their provider", MEETING_P),
    allow("providerP", "create", NEW, "staff add whole days of their provider", HOLIDAY_P),
    allow("admin", "create", NEW, "admin adds a provider's time off", BY_ADMIN),
    allow("admin", "create", NEW, "admin closes the business", CLOSURE),
    allow("admin", "create", NEW, "admin closes two providers", but(BY_ADMIN, providerIds=["prov-p", "prov-q"])),
    deny("providerQ", "create", NEW, "staff add another provider's time off", but(MEETING_P, createdBy="staff-q")),
    deny("customerA", "create", NEW, "customers add time off", but(MEETING_P, createdBy="cust-a")),
    deny("anonymous", "create", NEW, "signed out adds time off", MEETING_P),
    deny("providerP", "create", NEW, "staff close the business", but(CLOSURE, createdBy="staff-p")),
    deny("providerP", "create", NEW, "staff close their and another provider",
         but(MEETING_P, providerIds=["prov-p", "prov-q"])),
    deny("providerP", "create", NEW, "staff closure flag on their own provider",
         but(MEETING_P, allProviders=True)),
    deny("admin", "create", NEW, "admin writes a feed time off", but(BY_ADMIN, source="feed")),
    deny("providerP", "create", NEW, "staff write a feed time off", but(MEETING_P, source="feed")),
    # create: the model's shape
    deny("providerP", "create", NEW, "createdBy another uid", but(MEETING_P, createdBy="staff-q")),
    deny("providerP", "create", NEW, "missing createdBy", but(MEETING_P, createdBy=DELETE)),
    deny("providerP", "create", NEW, "missing source", but(MEETING_P, source=DELETE)),
    deny("providerP", "create", NEW, "unknown field", but(MEETING_P, room="B12")),
    allow("providerP", "create", NEW, "no title", but(MEETING_P, title=DELETE)),
    allow("providerP", "create", NEW, "title of exactly 200", but(MEETING_P, title=long(200))),
    deny("providerP", "create", NEW, "title over 200", but(MEETING_P, title=long(201))),
    deny("admin", "create", "timeOff/trail ", "a time off id with a trailing space", BY_ADMIN),
    deny("providerP", "create", NEW, "client stamps createdAt", but(MEETING_P, createdAt=SERVER_TIME)),
    deny("providerP", "create", NEW, "client stamps updatedAt", but(MEETING_P, updatedAt=SERVER_TIME)),
    deny("admin", "create", NEW, "allProviders with providerIds", but(CLOSURE, providerIds=["prov-p"])),
    deny("admin", "create", NEW, "allProviders not a bool", but(BY_ADMIN, allProviders="yes")),
    deny("admin", "create", NEW, "neither providers nor allProviders", but(BY_ADMIN, providerIds=[])),
    deny("admin", "create", NEW, "providerIds not a list", but(BY_ADMIN, providerIds="prov-p")),
    allow("admin", "create", NEW, "50 providers", but(BY_ADMIN, providerIds=[f"p{i}" for i in range(50)])),
    deny("admin", "create", NEW, "51 providers", but(BY_ADMIN, providerIds=[f"p{i}" for i in range(51)])),
    deny("admin", "create", NEW, "a provider twice", but(BY_ADMIN, providerIds=["prov-p", "prov-p"])),
    deny("admin", "create", NEW, "a provider id with a space", but(BY_ADMIN, providerIds=["prov p"])),
    # create: the span
    allow("providerP", "create", NEW, "allDay false with instants", but(MEETING_P, allDay=False)),
    deny("providerP", "create", NEW, "allDay not a bool", but(MEETING_P, allDay="yes")),
    deny("providerP", "create", NEW, "whole days with a start", but(HOLIDAY_P, start=Rel(12 * DAY))),
    deny("providerP", "create", NEW, "whole days with a bad startDate", but(HOLIDAY_P, startDate="2031-13-01")),
    deny("providerP", "create", NEW, "whole days with a bad endDate", but(HOLIDAY_P, endDate="2031-1-14")),
    deny("providerP", "create", NEW, "endDate before startDate", but(HOLIDAY_P, endDate="2030-12-31")),
    allow("providerP", "create", NEW, "whole days 399 days apart", but(HOLIDAY_P, endDate="2032-02-04")),
    deny("providerP", "create", NEW, "whole days 400 days apart", but(HOLIDAY_P, endDate="2032-02-05")),
    deny("providerP", "create", NEW, "instants with a startDate", but(MEETING_P, startDate="2031-01-01")),
    deny("providerP", "create", NEW, "start not a timestamp", but(MEETING_P, start="2031-01-01T10:00:00Z")),
    deny("providerP", "create", NEW, "end not a timestamp", but(MEETING_P, end=5)),
    deny("providerP", "create", NEW, "end at start", but(MEETING_P, end=Rel(12 * DAY))),
    allow("providerP", "create", NEW, "exactly 400 days", but(MEETING_P, end=Rel(412 * DAY))),
    deny("providerP", "create", NEW, "400 days and a minute", but(MEETING_P, end=Rel(412 * DAY + 1))),
    # update: the document before and after must both be the caller's to write
    allow("providerP", "update", "timeOff/to-p", "staff rename their provider's meeting", EDIT),
    allow("providerP", "update", "timeOff/to-p", "staff move their meeting to whole days",
          {"start": DELETE, "end": DELETE, "allDay": True, "startDate": "2031-02-02", "endDate": "2031-02-02"}),
    deny("providerQ", "update", "timeOff/to-p", "staff of another provider edit it", {**EDIT, "createdBy": "staff-q"}),
    deny("customerA", "update", "timeOff/to-p", "a customer edits time off", {**EDIT, "createdBy": "cust-a"}),
    deny("providerP", "update", "timeOff/to-p", "staff turn their meeting into a closure",
         {"providerIds": DELETE, "allProviders": True}),
    deny("providerP", "update", "timeOff/to-p", "staff add another provider",
         {"providerIds": ["prov-p", "prov-q"]}),
    deny("providerP", "update", "timeOff/to-pq", "staff narrow a shared time off to their own",
         {"providerIds": ["prov-p"], "createdBy": "staff-p"}),
    deny("providerP", "update", "timeOff/to-closure", "staff edit a closure", {**EDIT, "createdBy": "staff-p"}),
    deny("providerP", "update", "timeOff/to-p", "staff mark their time off as a feed's", {"source": "feed"}),
    deny("providerP", "update", "timeOff/to-p", "client changes createdAt", {"createdAt": SERVER_TIME}),
    deny("providerP", "update", "timeOff/to-p", "end before start", {"end": Rel(9 * DAY)}),
    allow("admin", "update", "timeOff/to-closure", "admin renames a closure", EDIT),
    allow("admin", "update", "timeOff/to-p", "admin edits a provider's meeting", {**EDIT, "createdBy": "admin-1"}),
    deny("admin", "update", "timeOff/to-p", "admin keeps someone else's createdBy", EDIT),
    deny("admin", "update", "timeOff/feed_0f", "admin edits a feed import", {**EDIT, "createdBy": "admin-1"}),
    deny("providerP", "update", "timeOff/feed_0f", "staff edit their feed import",
         {**EDIT, "source": "manual", "createdBy": "staff-p"}),
    # delete
    allow("providerP", "delete", "timeOff/to-p", "staff delete their provider's meeting"),
    deny("providerQ", "delete", "timeOff/to-p", "staff of another provider delete it"),
    deny("customerA", "delete", "timeOff/to-p", "a customer deletes time off"),
    deny("anonymous", "delete", "timeOff/to-p", "signed out deletes time off"),
    deny("providerP", "delete", "timeOff/to-closure", "staff delete a closure"),
    deny("providerQ", "delete", "timeOff/to-pq", "staff delete a time off shared with another provider"),
    allow("admin", "delete", "timeOff/to-closure", "admin deletes a closure"),
    deny("admin", "delete", "timeOff/feed_0f", "admin deletes a feed import"),
    deny("providerP", "delete", "timeOff/feed_0f", "staff delete their feed import"),
]

FEED_P = "calendarFeeds/prov-p"  # present, with the backend's status
FEED_Q = "calendarFeeds/prov-q"  # absent: created by the rows
URL = "https://calendar.example.com/q/private-0123/basic.ics"

CALENDAR_FEEDS = [
    allow("providerP", "get", FEED_P, "staff read their provider's feed"),
    deny("providerQ", "get", FEED_P, "staff of another provider read the secret URL"),
    deny("customerA", "get", FEED_P, "customers read a feed"),
    deny("anonymous", "get", FEED_P, "signed out reads a feed"),
    allow("admin", "get", FEED_P, "admins read any feed"),
    allow("admin", "list", q("calendarFeeds"), "admins list the feeds"),
    deny("providerP", "list", q("calendarFeeds"), "staff list the feeds"),
    allow("providerQ", "create", FEED_Q, "staff register their provider's feed", {"url": URL}),
    allow("admin", "create", FEED_Q, "admin registers a provider's feed", {"url": URL}),
    deny("providerP", "create", FEED_Q, "staff register another provider's feed", {"url": URL}),
    deny("customerA", "create", FEED_Q, "a customer registers a feed", {"url": URL}),
    deny("admin", "create", "calendarFeeds/prov q", "a feed of a provider id with a space", {"url": URL}),
    deny("providerQ", "create", FEED_Q, "a plain http URL", {"url": "http://calendar.example.com/q.ics"}),
    deny("providerQ", "create", FEED_Q, "a URL with credentials", {"url": "https://me:pw@calendar.example.com/q.ics"}),
    allow("providerQ", "create", FEED_Q, "a URL of exactly 2048",
          {"url": "https://calendar.example.com/" + long(2048 - 29)}),
    deny("providerQ", "create", FEED_Q, "a URL over 2048", {"url": "https://calendar.example.com/" + long(2049 - 29)}),
    deny("providerQ", "create", FEED_Q, "a URL not a string", {"url": ["https://calendar.example.com/"]}),
    deny("providerQ", "create", FEED_Q, "no URL", {"enabled": True}),
    deny("providerQ", "create", FEED_Q, "an unknown field", {"url": URL, "enabled": True}),
    deny("providerQ", "create", FEED_Q, "client writes a status",
         {"url": URL, "status": {"state": "ok", "events": 0, "error": None}}),
    deny("providerQ", "create", FEED_Q, "client stamps updatedAt", {"url": URL, "updatedAt": SERVER_TIME}),
    allow("providerP", "update", FEED_P, "staff change their feed's URL (status kept)", {"url": URL}),
    allow("providerP", "update", FEED_P, "staff drop the status with a new URL", {"url": URL, "status": DELETE}),
    deny("providerP", "update", FEED_P, "staff write the status", {"status": {"state": "ok", "events": 99}}),
    deny("admin", "update", FEED_P, "admin writes the status", {"status": {"state": "error", "events": 0}}),
    deny("providerQ", "update", FEED_P, "staff of another provider change the URL", {"url": URL}),
    allow("providerP", "delete", FEED_P, "staff remove their provider's feed"),
    allow("admin", "delete", FEED_P, "admin removes a feed"),
    deny("providerQ", "delete", FEED_P, "staff of another provider remove it"),
    deny("customerA", "delete", FEED_P, "a customer removes a feed"),
]
