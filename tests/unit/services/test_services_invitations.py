"""The appointment's calendar event across its life, through the services on
the in-memory store: booking, reschedules and the cancel send one event
(one UID) whose SEQUENCE grows, and a reschedule mails one "moved"
invitation, no cancel for the appointment it replaces."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from booking.services.cancel import cancel
from booking.store import converters, paths
from fake_store import CUSTOMER_ID, NOW, seeded, submit, utc

TEN_BERLIN = utc(2026, 1, 12, 9)
TWO_PM_BERLIN = utc(2026, 1, 12, 13)
WED_NINE_BERLIN = utc(2026, 1, 14, 8)


def event_of(store, mail_id):
    mail = store.doc(paths.MAIL, mail_id)
    (sent,) = mail["message"]["attachments"]
    calendar = Calendar.from_ical(sent["content"])
    (event,) = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), str(event["UID"]), event["SEQUENCE"], event.decoded("DTSTART")


def test_a_reschedule_mails_one_moved_invitation_with_the_same_uid_and_the_next_sequence():
    store = seeded()
    assert submit(store, "orig", TEN_BERLIN).status == "confirmed"

    assert submit(store, "move", TWO_PM_BERLIN, rescheduleOf="orig").status == "confirmed"

    assert store.ids(paths.MAIL) == ["move-confirmed", "orig-confirmed"]  # no "orig-cancelled"
    mail = store.doc(paths.MAIL, "move-confirmed")
    assert (mail["kind"], mail["appointmentId"], mail["rescheduledFrom"]) == ("rescheduled", "move", "orig")
    assert mail["message"]["subject"] == "Moved: Consultation to Monday 12 January 2026, 14:00 (Europe/Berlin)"
    assert event_of(store, "orig-confirmed") == ("REQUEST", "orig@booking.firebaseapp", 0, TEN_BERLIN)
    assert event_of(store, "move-confirmed") == ("REQUEST", "orig@booking.firebaseapp", 1, TWO_PM_BERLIN)
    stored = store.doc(paths.APPOINTMENTS, "move")
    assert (stored["calendarUid"], stored["calendarSequence"]) == ("orig", 1)


def test_a_second_reschedule_and_then_a_cancel_keep_the_uid_and_raise_the_sequence_each_time():
    store = seeded()
    submit(store, "orig", TEN_BERLIN)
    submit(store, "move", TWO_PM_BERLIN, rescheduleOf="orig")
    assert submit(store, "again", WED_NINE_BERLIN, rescheduleOf="move").status == "confirmed"

    cancel(store, "again", now=NOW + timedelta(hours=1), by=CUSTOMER_ID)

    assert event_of(store, "again-confirmed") == ("REQUEST", "orig@booking.firebaseapp", 2, WED_NINE_BERLIN)
    assert event_of(store, "again-cancelled") == ("CANCEL", "orig@booking.firebaseapp", 3, WED_NINE_BERLIN)
    assert store.ids(paths.MAIL) == ["again-cancelled", "again-confirmed", "move-confirmed", "orig-confirmed"]


def test_the_booking_mail_names_the_business_links_my_appointments_and_invites_from_the_organizer():
    store = seeded()
    store.put("settings", "booking", {"businessName": "Praxis Nord", "appUrl": "https://book.example.com",
                                      "organizerEmail": "desk@praxis.example"})
    submit(store, "orig", TEN_BERLIN)

    message = store.doc(paths.MAIL, "orig-confirmed")["message"]
    assert message["text"].splitlines()[1] == "your Consultation with Dr. Ada Lovelace at Praxis Nord is confirmed."
    assert message["text"].endswith("\n\nYour appointments: https://book.example.com/#/appointments\n\nPraxis Nord")
    event = Calendar.from_ical(message["attachments"][0]["content"]).walk("VEVENT")[0]
    assert str(event["ORGANIZER"]) == "mailto:desk@praxis.example"


def test_an_appointment_stored_without_a_calendar_identity_reads_as_its_own_uid_at_sequence_zero():
    store = seeded()
    submit(store, "orig", TEN_BERLIN)
    data = {k: v for k, v in store.doc(paths.APPOINTMENTS, "orig").items()
            if k not in ("calendarUid", "calendarSequence")}

    appointment = converters.appointment_from("orig", data)

    assert (appointment.calendar_uid, appointment.calendar_sequence) == ("orig", 0)
    assert converters.appointment_to(appointment)["calendarUid"] == "orig"


def test_a_broken_stored_sequence_reads_as_zero_rather_than_failing():
    store = seeded()
    submit(store, "orig", TEN_BERLIN)
    data = {**store.doc(paths.APPOINTMENTS, "orig"), "calendarUid": 7, "calendarSequence": "x"}

    appointment = converters.appointment_from("orig", data)

    assert (appointment.calendar_uid, appointment.calendar_sequence) == ("orig", 0)
