"""iCalendar files (RFC 5545): CRLF line ends, lines folded at 75 octets,
a stable UID, UTC times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from booking.domain.appointments import Appointment, AppointmentStatus
from booking.services.ics import calendar_for
from booking.services.notifications import ics_type

NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def appointment(**changes) -> Appointment:
    fields = dict(
        id="req-1", provider_id="dr-ada", customer_id="cust-grace", appointment_type_id="consult",
        start=datetime(2026, 1, 12, 9, 0, tzinfo=UTC), end=datetime(2026, 1, 12, 9, 30, tzinfo=UTC),
        block_start=datetime(2026, 1, 12, 8, 50, tzinfo=UTC), block_end=datetime(2026, 1, 12, 9, 35, tzinfo=UTC),
        status=AppointmentStatus.CONFIRMED, request_id="req-1", time_zone="Europe/Berlin",
        cancellable_until=datetime(2026, 1, 12, 7, 0, tzinfo=UTC), customer_name="Grace Hopper",
        provider_name="Dr. Ada Lovelace", type_name="Consultation",
    )
    fields.update(changes)
    return Appointment(**fields)


def physical_lines(ics: str) -> list[str]:
    assert ics.endswith("\r\n")
    body = ics[:-2]
    assert "\n" not in body.replace("\r\n", "") and "\r" not in body.replace("\r\n", "")
    return body.split("\r\n")


def unfold(ics: str) -> list[str]:
    out: list[str] = []
    for line in physical_lines(ics):
        if line.startswith(" "):
            out[-1] += line[1:]
        else:
            out.append(line)
    return out


def test_every_line_ends_in_crlf_and_the_file_is_exactly_the_expected_event():
    assert calendar_for(appointment(), now=NOW) == (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//firebase-booking//appointments//EN\r\n"
        "CALSCALE:GREGORIAN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:req-1@booking.firebaseapp\r\n"
        "SEQUENCE:0\r\nDTSTAMP:20260105T080000Z\r\nDTSTART:20260112T090000Z\r\nDTEND:20260112T093000Z\r\n"
        "SUMMARY:Consultation with Dr. Ada Lovelace\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def test_times_are_written_in_utc_with_a_z_whatever_zone_the_instants_carry():
    berlin = ZoneInfo("Europe/Berlin")
    ics = calendar_for(appointment(start=datetime(2026, 7, 1, 10, 0, tzinfo=berlin),
                                   end=datetime(2026, 7, 1, 10, 45, tzinfo=berlin)),
                       now=datetime(2026, 6, 30, 23, 59, 59, tzinfo=berlin))
    lines = unfold(ics)
    assert "DTSTART:20260701T080000Z" in lines
    assert "DTEND:20260701T084500Z" in lines
    assert "DTSTAMP:20260630T215959Z" in lines


def test_the_uid_is_the_same_for_the_request_and_the_cancel_and_the_cancel_has_a_higher_sequence():
    request = unfold(calendar_for(appointment(), now=NOW, method="REQUEST"))
    cancel = unfold(calendar_for(appointment(status=AppointmentStatus.CANCELLED), now=NOW + timedelta(days=1)))
    assert [line for line in request if line.startswith("UID:")] == ["UID:req-1@booking.firebaseapp"]
    assert [line for line in cancel if line.startswith("UID:")] == ["UID:req-1@booking.firebaseapp"]
    assert ("SEQUENCE:0", "METHOD:REQUEST", "STATUS:CONFIRMED") == tuple(
        next(line for line in request if line.startswith(p)) for p in ("SEQUENCE", "METHOD", "STATUS"))
    assert ("SEQUENCE:1", "METHOD:CANCEL", "STATUS:CANCELLED") == tuple(
        next(line for line in cancel if line.startswith(p)) for p in ("SEQUENCE", "METHOD", "STATUS"))


def test_long_lines_are_folded_at_75_octets_with_a_leading_space():
    notes = "Please bring your previous reports, the referral letter and a list of medication. " * 3
    ics = calendar_for(appointment(notes=notes.strip()), now=NOW)
    lines = physical_lines(ics)
    assert all(len(line.encode()) <= 75 for line in lines)
    description = [line for line in lines if line.startswith("DESCRIPTION:")][0]
    assert len(description.encode()) == 75
    assert f"DESCRIPTION:{notes.strip().replace(',', chr(92) + ',')}" in unfold(ics)


def test_folding_never_splits_a_multibyte_character():
    notes = "Grüße und Spaß — 予約の確認 " * 10
    ics = calendar_for(appointment(notes=notes), now=NOW)
    for line in physical_lines(ics):
        assert len(line.encode("utf-8")) <= 75
        line.encode("utf-8").decode("utf-8")  # every physical line is whole UTF-8
    assert f"DESCRIPTION:{notes}" in unfold(ics)


def test_text_values_escape_backslash_semicolon_comma_and_newlines():
    ics = calendar_for(appointment(notes="a;b,c\\d\ne\r\nf", type_name="Check-up; short", provider_name="A, B"),
                       now=NOW)
    lines = unfold(ics)
    assert "DESCRIPTION:a\\;b\\,c\\\\d\\ne\\nf" in lines
    assert "SUMMARY:Check-up\\; short with A\\, B" in lines


def test_without_notes_there_is_no_description_and_without_names_a_generic_summary():
    lines = unfold(calendar_for(appointment(type_name="", provider_name=""), now=NOW))
    assert "SUMMARY:Appointment" in lines
    assert not [line for line in lines if line.startswith("DESCRIPTION")]


def test_a_bare_carriage_return_in_the_notes_cannot_break_a_content_line():
    ics = calendar_for(appointment(notes="x\rATTENDEE:mailto:eve@example.com"), now=NOW)
    physical_lines(ics)


def test_the_mime_type_carries_the_method():
    assert ics_type("REQUEST") == "text/calendar; charset=utf-8; method=REQUEST"
    assert ics_type("CANCEL") == "text/calendar; charset=utf-8; method=CANCEL"
