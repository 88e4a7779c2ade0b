"""The benchmark's floor (issue 17).

bench/booking_bench.py times this exactly like a booking: a document
created, a trigger that only writes one field back on it. The booking's
latency then reads as a multiple of the least that Firestore and the
functions runtime cost. main.py exports it only when the functions emulator
loads it (the emulator sets FUNCTIONS_EMULATOR=true); `firebase deploy`
discovers functions without that variable, so deploy never sees it.
"""

from __future__ import annotations

from firebase_functions import firestore_fn


@firestore_fn.on_document_created(document="benchFloor/{floorId}")
def bench_floor(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    from booking.store.clients import db
    from google.cloud.firestore import SERVER_TIMESTAMP

    if event.data is not None:
        db().document(f"benchFloor/{event.data.id}").update({"echoedAt": SERVER_TIMESTAMP})
