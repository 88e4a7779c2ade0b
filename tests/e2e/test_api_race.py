"""A REST booking and a client's booking request for the same slot, at the
same moment: exactly one wins, whichever it is."""

from __future__ import annotations

import threading

from support import emulator
from support.api import book
from support.world import at, wait_for_status


def test_rest_and_client_write_for_one_slot_exactly_one_wins(world, db):
    outcomes = []
    for round_no, hour in enumerate((9, 10, 11, 12, 13)):
        start = at(world.day, hour)
        request_id = f"race-{round_no}"
        results = {}
        barrier = threading.Barrier(2)

        def rest():
            barrier.wait()
            results["rest"] = book(world, start)

        def client():
            barrier.wait()
            results["client"] = emulator.rest_create(f"bookingRequests/{request_id}", {
                "customerId": world.other.uid, "providerId": "dr-ada", "appointmentTypeId": "consult",
                "start": start, "status": "pending", "createdAt": emulator.SERVER_TIME}, world.other.token)

        threads = [threading.Thread(target=rest), threading.Thread(target=client)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results["client"].status_code == 200, results["client"].text
        request = wait_for_status(db, f"bookingRequests/{request_id}")

        rest_won = results["rest"].status_code == 201
        client_won = request.get("status") == "confirmed"
        assert rest_won != client_won, (results["rest"].text, request)
        if rest_won:
            assert request["reason"] == "slot_taken"
        else:
            assert results["rest"].status_code == 409 and results["rest"].json()["code"] == "slot_taken"
        confirmed = [d for d in db.collection("appointments").where("start", "==", start).stream()
                     if d.to_dict()["status"] == "confirmed"]
        assert len(confirmed) == 1
        outcomes.append("rest" if rest_won else "client")
    print("winners:", outcomes)
