"""Invitations (RFC 5546 over RFC 5545): every file is read back with the
`icalendar` parser; one UID for an appointment's whole life, a higher
SEQUENCE for each move and for the cancel; folding at 75 octets."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from booking.domain.appointments import Appointment, AppointmentStatus
from booking.domain.models import Customer
from booking.domain.settings import BookingSettings
from booking.services.ics import attachment, ics_type, invitation

NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
SETTINGS = BookingSettings(business_name="Praxis Nord", organizer_email="desk@praxis.example",
                           app_url="https://book.example.com")
GRACE = Customer(id="cust-grace", name="Grace Hopper", email="grace@example.com")


def appointment(**changes) -> Appointment:
    fields = dict(
        id="req-1", provider_id="dr-ada", customer_id="cust-grace", appointment_type_id="consult",
        start=datetime(2026, 1, 12, 9, 0, tzinfo=UTC), end=datetime(2026, 1, 12, 9, 30, tzinfo=UTC),
        block_start=datetime(2026, 1, 12, 8, 50, tzinfo=UTC), block_end=datetime(2026, 1, 12, 9, 35, tzinfo=UTC),
        status=AppointmentStatus.CONFIRMED, request_id="req-1", time_zone="Europe/Berlin",
        cancellable_until=datetime(2026, 1, 12, 7, 0, tzinfo=UTC), customer_name="Grace Hopper",
        provider_name="Dr. Ada Lovelace", type_name="Consultation", calendar_uid="req-1",
    )
    fields.update(changes)
    return Appointment(**fields)


def parsed(ics: str):
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def physical_lines(ics: str) -> list[str]:
    assert ics.endswith("\r\n")
    body = ics[:-2]
    assert "\n" not in body.replace("\r\n", "") and "\r" not in body.replace("\r\n", "")
    return body.split("\r\n")


def test_the_confirmation_is_a_request_from_the_business_to_the_customer():
    calendar, event = parsed(invitation(appointment(), GRACE, SETTINGS, now=NOW))

    assert (str(calendar["METHOD"]), str(calendar["VERSION"]), str(calendar["PRODID"])) == (
        "REQUEST", "2.0", "-//firebase-booking//appointments//EN")
    assert str(event["UID"]) == "req-1@booking.firebaseapp"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTAMP") == NOW
    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (
        datetime(2026, 1, 12, 9, 0, tzinfo=UTC), datetime(2026, 1, 12, 9, 30, tzinfo=UTC))
    assert str(event["SUMMARY"]) == "Consultation with Dr. Ada Lovelace"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]) == "https://book.example.com/#/appointments"
    organizer, attendee = event["ORGANIZER"], event["ATTENDEE"]
    assert (str(organizer), dict(organizer.params)) == ("mailto:desk@praxis.example", {"CN": "Praxis Nord"})
    assert (str(attendee), dict(attendee.params)) == ("mailto:grace@example.com", {
        "CN": "Grace Hopper", "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "ACCEPTED", "RSVP": "FALSE"})


def test_a_reschedule_is_a_request_with_the_same_uid_a_higher_sequence_and_the_new_times():
    first = appointment()
    moved = appointment(id="req-2", request_id="req-2", rescheduled_from="req-1", calendar_sequence=1,
                        start=datetime(2026, 1, 13, 14, 0, tzinfo=UTC), end=datetime(2026, 1, 13, 14, 30, tzinfo=UTC))
    _, before = parsed(invitation(first, GRACE, SETTINGS, now=NOW))
    calendar, after = parsed(invitation(moved, GRACE, SETTINGS, now=NOW + timedelta(days=1)))

    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(after["UID"]) == str(before["UID"]) == "req-1@booking.firebaseapp"
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert (after.decoded("DTSTART"), after.decoded("DTEND")) == (
        datetime(2026, 1, 13, 14, 0, tzinfo=UTC), datetime(2026, 1, 13, 14, 30, tzinfo=UTC))
    assert after.decoded("DTSTAMP") == NOW + timedelta(days=1)


def test_a_cancel_is_method_cancel_with_the_same_uid_one_sequence_above_the_last_request():
    moved_twice = appointment(id="req-3", calendar_sequence=2)
    cancelled = replace(moved_twice, status=AppointmentStatus.CANCELLED)
    _, request = parsed(invitation(moved_twice, GRACE, SETTINGS, now=NOW))
    calendar, cancel = parsed(invitation(cancelled, GRACE, SETTINGS, now=NOW))

    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(cancel["UID"]) == str(request["UID"]) == "req-1@booking.firebaseapp"
    assert (request["SEQUENCE"], cancel["SEQUENCE"]) == (2, 3)
    assert str(cancel["STATUS"]) == "CANCELLED"


def test_an_appointment_stored_before_calendar_identities_uses_its_own_id():
    _, event = parsed(invitation(appointment(id="old-1", calendar_uid=""), GRACE, SETTINGS, now=NOW))
    assert (str(event["UID"]), event["SEQUENCE"]) == ("old-1@booking.firebaseapp", 0)


def test_times_are_utc_whatever_zone_the_instants_carry():
    berlin = ZoneInfo("Europe/Berlin")
    ics = invitation(appointment(start=datetime(2026, 7, 1, 10, 0, tzinfo=berlin),
                                 end=datetime(2026, 7, 1, 10, 45, tzinfo=berlin)),
                     GRACE, SETTINGS, now=datetime(2026, 6, 30, 23, 59, 59, tzinfo=berlin))
    unfolded = ics.replace("\r\n ", "").split("\r\n")
    assert {"DTSTART:20260701T080000Z", "DTEND:20260701T084500Z", "DTSTAMP:20260630T215959Z"} <= set(unfolded)


def test_non_ascii_names_fold_at_75_octets_without_splitting_a_character_and_parse_back_exactly():
    zoe = Customer(id="zoe", name="Zoë Ångström-Ødegård", email="zoe.angstrom-odegard@example.com")
    settings = replace(SETTINGS, business_name="Zahnarztpraxis Dr. Łukasz Żółkiewski & Kolleginnen")
    ics = invitation(appointment(provider_name="Dr. Łukasz Żółkiewski", type_name="Kontrolluntersuchung",
                                 notes="Grüße und Spaß — 予約の確認 " * 6), zoe, settings, now=NOW)

    lines = physical_lines(ics)
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)  # something was folded
    for line in lines:
        line.encode("utf-8").decode("utf-8")  # each physical line is whole UTF-8
    _, event = parsed(ics)
    assert event["ATTENDEE"].params["CN"] == "Zoë Ångström-Ødegård"
    assert str(event["ATTENDEE"]) == "mailto:zoe.angstrom-odegard@example.com"
    assert event["ORGANIZER"].params["CN"] == "Zahnarztpraxis Dr. Łukasz Żółkiewski & Kolleginnen"
    assert str(event["SUMMARY"]) == "Kontrolluntersuchung with Dr. Łukasz Żółkiewski"
    assert str(event["DESCRIPTION"]) == "Grüße und Spaß — 予約の確認 " * 6


def test_text_from_clients_round_trips_through_escaping():
    notes = 'a;b,c\\d\ne "quoted" f'
    ics = invitation(appointment(notes=notes, type_name="Check-up; short", provider_name="A, B"),
                     Customer(id="c", name='Eve "Evil", Jr.; x', email="eve@example.com"), SETTINGS, now=NOW)
    _, event = parsed(ics)
    assert str(event["DESCRIPTION"]) == notes
    assert str(event["SUMMARY"]) == "Check-up; short with A, B"
    assert event["ATTENDEE"].params["CN"] == 'Eve "Evil", Jr.; x'


def test_a_carriage_return_or_control_character_in_the_notes_cannot_add_a_property():
    ics = invitation(appointment(notes="x\rATTENDEE:mailto:eve@example.com\x00\x07y"), GRACE, SETTINGS, now=NOW)
    physical_lines(ics)
    _, event = parsed(ics)
    assert str(event["ATTENDEE"]) == "mailto:grace@example.com"  # still only Grace
    assert str(event["DESCRIPTION"]) == "x\nATTENDEE:mailto:eve@example.comy"


def test_without_a_customer_profile_the_invitation_has_no_attendee_and_still_parses():
    _, event = parsed(invitation(appointment(), None, SETTINGS, now=NOW))
    assert "ATTENDEE" not in event and str(event["UID"]) == "req-1@booking.firebaseapp"


def test_without_names_the_summary_is_generic_and_without_notes_there_is_no_description():
    _, event = parsed(invitation(appointment(type_name="", provider_name=""), GRACE, SETTINGS, now=NOW))
    assert str(event["SUMMARY"]) == "Appointment" and "DESCRIPTION" not in event


def test_the_mail_attachment_names_the_method_in_its_mime_type():
    assert ics_type("REQUEST") == "text/calendar; charset=utf-8; method=REQUEST"
    sent = attachment(appointment(status=AppointmentStatus.CANCELLED), GRACE, SETTINGS, now=NOW)
    assert (sent["filename"], sent["contentType"]) == ("cancel.ics", "text/calendar; charset=utf-8; method=CANCEL")
    assert str(parsed(sent["content"])[0]["METHOD"]) == "CANCEL"
