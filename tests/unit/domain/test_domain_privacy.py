"""What an erasure keeps and drops, the erasure job's course, and what an
export shows of a customer's documents."""

from __future__ import annotations

from datetime import UTC, datetime

from booking.domain.privacy import (
    REMOVE,
    ErasureJob,
    ErasurePhase,
    ErasureState,
    Requester,
    anonymised_appointment,
    anonymised_request,
    exported_appointment,
    exported_profile,
    job_from,
    job_to,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
REJECTION = {"reason": "unknown_customer", "message": "Please complete your customer profile before booking."}


def apply(data: dict, changes: dict) -> dict:
    out = {**data, **{k: v for k, v in changes.items() if v is not REMOVE}}
    return {k: v for k, v in out.items() if changes.get(k) is not REMOVE}


def test_an_erased_appointment_loses_name_notes_own_reason_and_delivery_errors_and_keeps_the_rest():
    stored = {"customerId": "u1", "customerName": "Grace Hopper", "notes": "knee", "status": "cancelled",
              "cancelReason": "I am ill", "notifications": [{"error": "550 grace@example.com unknown"}],
              "providerId": "dr-ada", "appointmentTypeId": "consult", "start": NOW, "history": [{"by": "u1"}]}

    changes = anonymised_appointment(stored)

    assert changes == {"customerName": "", "notes": REMOVE, "cancelReason": REMOVE, "notifications": REMOVE}
    assert apply(stored, changes) == {"customerId": "u1", "customerName": "", "status": "cancelled",
                                      "providerId": "dr-ada", "appointmentTypeId": "consult", "start": NOW,
                                      "history": [{"by": "u1"}]}


def test_an_anonymous_appointment_needs_no_change_so_a_second_erasure_writes_nothing():
    stored = {"customerName": "Grace Hopper", "notes": "knee", "cancelReason": "customer_erased"}
    once = apply(stored, anonymised_appointment(stored))
    assert once == {"customerName": "", "cancelReason": "customer_erased"}
    assert anonymised_appointment(once) == {}


def test_the_backends_own_cancel_reasons_stay():
    assert anonymised_appointment({"cancelReason": "rescheduled", "customerName": ""}) == {}


def test_a_pending_request_of_an_erased_customer_is_closed_as_unknown_customer_and_kept_for_its_period():
    pending = {"customerId": "u1", "status": "pending", "notes": "call me on +442079460958"}

    changes = anonymised_request(pending, now=NOW, rejection=REJECTION, expires_at=LATER)

    assert changes == {"notes": REMOVE, "status": "rejected", **REJECTION, "processedAt": NOW, "expiresAt": LATER}
    assert anonymised_request(apply(pending, changes), now=NOW, rejection=REJECTION, expires_at=LATER) == {}


def test_a_processed_request_without_notes_is_left_as_it_is():
    assert anonymised_request({"status": "confirmed", "customerId": "u1"}, now=NOW, rejection=REJECTION,
                              expires_at=LATER) == {}


def test_the_job_goes_through_every_phase_in_order_and_is_done_at_the_end():
    job = ErasureJob(customer_id="u1", requested_at=NOW, requested_by=Requester("a1", "admin"))
    seen = []
    while job.state is ErasureState.RUNNING:
        seen.append(job.phase.value)
        job = job.advanced(now=LATER)
    assert seen == ["account", "outbox", "profile", "requests", "cancel", "appointments"]
    assert (job.phase, job.completed_at) == (ErasurePhase.DONE, LATER)


def test_a_paged_phase_goes_on_after_its_cursor_until_a_short_page_finishes_it():
    job = ErasureJob(customer_id="u1", requested_at=NOW, requested_by=Requester("u1", "customer"),
                     phase=ErasurePhase.APPOINTMENTS)
    mid = job.counted(appointments=100).advanced(now=NOW, cursor="a100", finished=False)
    assert (mid.phase, mid.cursor, mid.counts["appointments"]) == (ErasurePhase.APPOINTMENTS, "a100", 100)
    done = mid.counted(appointments=7).advanced(now=LATER, cursor="a107")
    assert (done.phase, done.cursor, done.counts["appointments"], done.state) == (
        ErasurePhase.DONE, None, 107, ErasureState.DONE)


def test_the_job_document_round_trips_and_holds_no_personal_data():
    job = ErasureJob(customer_id="u1", requested_at=NOW, requested_by=Requester("a1", "admin"),
                     phase=ErasurePhase.CANCEL, cursor=None, updated_at=NOW, runs=2).counted(accounts=1)
    stored = job_to(job)
    assert set(stored) == {"customerId", "requestedAt", "requestedBy", "state", "phase", "cursor", "counts",
                           "updatedAt", "completedAt", "runs"}
    assert job_from(stored) == job


def test_an_export_shows_others_who_acted_as_the_business_and_not_the_providers_time_off():
    stored = {"customerId": "u1", "customerName": "Grace", "providerName": "Dr. Ada", "cancelledBy": "staff-9",
              "timeOffConflicts": ["meeting-1"], "held": False, "blockStart": NOW, "blockEnd": NOW,
              "history": [{"at": NOW, "status": "confirmed", "by": "u1"},
                          {"at": LATER, "status": "cancelled", "by": "staff-9"}]}

    assert exported_appointment("a1", stored, "u1") == {
        "id": "a1", "customerId": "u1", "customerName": "Grace", "providerName": "Dr. Ada",
        "cancelledBy": "business",
        "history": [{"at": NOW, "status": "confirmed", "by": "you"},
                    {"at": LATER, "status": "cancelled", "by": "business"}]}


def test_an_exported_profile_leaves_out_search_keys_and_the_desk_that_added_it():
    stored = {"name": "Grace", "email": "g@example.com", "search": {"name": "grace"},
              "addedBy": {"uid": "staff-9", "providerId": "dr-ada"}}
    assert exported_profile("u1", stored) == {"id": "u1", "name": "Grace", "email": "g@example.com"}
