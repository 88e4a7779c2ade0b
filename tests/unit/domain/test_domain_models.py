"""Model validation: camelCase fields, defaults, merging, and errors that name the field."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from booking.domain.appointments import AppointmentStatus, can_transition
from booking.domain.booking_requests import Reason
from booking.domain.models import (
    AppointmentType,
    Availability,
    BookedBlock,
    Customer,
    DateOverride,
    Provider,
    WallInterval,
    Weekday,
)
from booking.domain.ranges import Range
from pydantic import ValidationError

TYPE = {"id": "t1", "name": "Consultation", "durationMinutes": 30}
PROVIDER = {"id": "p1", "name": "Dr Who", "timeZone": "Europe/London", "typeIds": ["t1"]}
CUSTOMER = {"id": "u1", "name": "Ann", "email": "ann@example.com"}
AVAILABILITY = {"providerId": "p1", "weekly": {"mon": [{"start": "09:00", "end": "17:00"}]}}


def error_fields(exc: ValidationError) -> set[str]:
    return {str(part) for err in exc.errors() for part in err["loc"]}


def assert_rejected(model, data, *field_names):
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    fields = error_fields(info.value)
    assert fields & set(field_names), f"{field_names} not named in {info.value}"
    return info.value


class TestAppointmentType:
    def test_defaults_and_camel_case_round_trip(self):
        t = AppointmentType.model_validate(TYPE)
        assert (t.buffer_before_minutes, t.buffer_after_minutes, t.capacity, t.horizon_days) == (0, 0, 1, 60)
        assert t.interval == 30
        assert t.price == Decimal(0) and t.currency == "USD" and t.active
        dumped = t.model_dump(by_alias=True)
        assert dumped["durationMinutes"] == 30 and dumped["slotIntervalMinutes"] is None
        assert AppointmentType.model_validate(dumped) == t

    def test_snake_case_names_are_accepted_too(self):
        t = AppointmentType(id="t", name="X", duration_minutes=50, slot_interval_minutes=15)
        assert t.interval == 15

    def test_price_is_decimal_and_serialises_as_number(self):
        t = AppointmentType.model_validate(TYPE | {"price": "19.99", "currency": "EUR"})
        assert t.price == Decimal("19.99")
        assert t.model_dump(by_alias=True)["price"] == 19.99
        assert t.model_dump_json().count('"price":19.99') == 1

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("name", ""),
            ("name", "x" * 121),
            ("description", "x" * 2001),
            ("durationMinutes", 0),
            ("durationMinutes", 1441),
            ("durationMinutes", "half an hour"),
            ("bufferBeforeMinutes", -1),
            ("bufferAfterMinutes", 1441),
            ("slotIntervalMinutes", 0),
            ("minNoticeMinutes", -5),
            ("horizonDays", 0),
            ("horizonDays", 731),
            ("capacity", 0),
            ("cancelCutoffMinutes", -1),
            ("dailyLimit", 0),
            ("price", -1),
            ("price", "NaN"),
            ("currency", "usd"),
            ("currency", "EURO"),
            ("id", ""),
            ("id", "a/b"),
            ("id", ".."),
            ("durationMinute", 30),
        ],
    )
    def test_invalid_value_names_the_field(self, field, value):
        snake = {"durationMinute": "durationMinute"}.get(field, "".join("_" + c.lower() if c.isupper() else c for c in field))
        assert_rejected(AppointmentType, TYPE | {field: value}, field, snake)

    def test_error_message_names_the_field_for_humans(self):
        err = assert_rejected(AppointmentType, TYPE | {"durationMinutes": 0}, "durationMinutes")
        assert "durationMinutes" in str(err)


class TestProvider:
    def test_valid_provider(self):
        p = Provider.model_validate(PROVIDER | {"typeIds": ["t1", "t2", "t1"], "email": "who@example.com"})
        assert p.time_zone == "Europe/London" and p.type_ids == ["t1", "t2"] and p.active

    @pytest.mark.parametrize("zone", ["Mars/Olympus", "europe/london", "", "America", "localtime", "../etc/passwd", "Europe/London "])
    def test_unknown_time_zone_names_time_zone(self, zone):
        err = assert_rejected(Provider, PROVIDER | {"timeZone": zone}, "timeZone")
        assert "timeZone" in str(err)

    def test_bad_contact_fields(self):
        assert_rejected(Provider, PROVIDER | {"email": "not-an-email"}, "email")
        assert_rejected(Provider, PROVIDER | {"phone": "call me"}, "phone")
        assert_rejected(Provider, PROVIDER | {"typeIds": [""]}, "typeIds")


class TestCustomer:
    def test_valid_customer(self):
        c = Customer.model_validate(CUSTOMER | {"phone": "+44 20 7946 0958", "timeZone": "Asia/Kolkata"})
        assert c.time_zone == "Asia/Kolkata"

    def test_invalid_customer_fields(self):
        assert_rejected(Customer, CUSTOMER | {"email": "ann@"}, "email")
        assert_rejected(Customer, CUSTOMER | {"timeZone": "Nowhere/Land"}, "timeZone")
        with pytest.raises(ValidationError, match="give an email or a phone"):
            Customer.model_validate({"id": "u1", "name": "Ann"})

    def test_a_walk_in_known_by_phone_only_is_a_customer(self):
        walk_in = Customer.model_validate({"id": "w1", "name": "Ann", "phone": "+44 20 7946 0958"})
        assert (walk_in.email, walk_in.phone) == (None, "+442079460958")


class TestWallInterval:
    def test_minutes_and_midnight_crossing(self):
        assert (WallInterval(start="09:00", end="17:30").start_minute, WallInterval(start="09:00", end="17:30").end_minute) == (540, 1050)
        night = WallInterval(start="22:00", end="02:00")
        assert night.end_minute == 26 * 60 and night.crosses_midnight
        assert WallInterval(start="00:00", end="24:00").end_minute == 1440
        assert WallInterval(start="18:00", end="00:00").end_minute == 1440

    @pytest.mark.parametrize(
        ("field", "data"),
        [
            ("start", {"start": "9:00", "end": "17:00"}),
            ("start", {"start": "24:00", "end": "02:00"}),
            ("start", {"start": "09:60", "end": "17:00"}),
            ("end", {"start": "09:00", "end": "25:00"}),
            ("end", {"start": "09:00", "end": "17:0"}),
            ("end", {"start": "09:00", "end": 1700}),
        ],
    )
    def test_malformed_times_name_the_field(self, field, data):
        assert_rejected(WallInterval, data, field)

    def test_start_equal_to_end_is_rejected(self):
        err = assert_rejected(WallInterval, {"start": "09:00", "end": "09:00"}, "end")
        assert "end must differ from start" in str(err)
        with pytest.raises(ValidationError):
            WallInterval(start="00:00", end="00:00")


class TestAvailability:
    def test_overlapping_weekly_intervals_merge(self):
        av = Availability.model_validate(
            {
                "providerId": "p1",
                "weekly": {
                    "mon": [
                        {"start": "13:00", "end": "17:00"},
                        {"start": "09:00", "end": "12:00"},
                        {"start": "11:30", "end": "13:00"},
                        {"start": "20:00", "end": "22:00"},
                    ],
                    "fri": [{"start": "21:00", "end": "01:00"}, {"start": "23:00", "end": "02:00"}],
                },
            }
        )
        assert av.weekly[Weekday.MON] == [WallInterval(start="09:00", end="17:00"), WallInterval(start="20:00", end="22:00")]
        assert av.weekly[Weekday.FRI] == [WallInterval(start="21:00", end="02:00")]

    def test_merge_that_would_exceed_a_day_keeps_pieces(self):
        av = Availability.model_validate(
            {"providerId": "p1", "weekly": {"mon": [{"start": "00:00", "end": "24:00"}, {"start": "23:00", "end": "01:00"}]}}
        )
        assert av.weekly[Weekday.MON] == [WallInterval(start="00:00", end="24:00"), WallInterval(start="23:00", end="01:00")]

    def test_time_zone_defaults_to_the_providers(self):
        av = Availability.model_validate(AVAILABILITY)
        assert av.time_zone is None and av.zone_name("Asia/Kolkata") == "Asia/Kolkata"
        assert Availability.model_validate(AVAILABILITY | {"timeZone": "Europe/Paris"}).zone_name("Asia/Kolkata") == "Europe/Paris"

    def test_overrides_apply_by_date(self):
        av = Availability.model_validate(AVAILABILITY | {"overrides": [{"date": "2026-01-12", "intervals": []}]})
        assert av.intervals_on(date(2026, 1, 12)) == []
        assert av.intervals_on(date(2026, 1, 19)) == [WallInterval(start="09:00", end="17:00")]
        assert av.intervals_on(date(2026, 1, 13)) == []

    def test_invalid_values_name_the_field(self):
        assert_rejected(Availability, AVAILABILITY | {"weekly": {"monday": []}}, "weekly", "monday")
        assert_rejected(Availability, AVAILABILITY | {"timeZone": "Moon/Base"}, "timeZone")
        too_many = [{"start": f"{h:02d}:00", "end": f"{h:02d}:30"} for h in range(13)]
        assert_rejected(Availability, AVAILABILITY | {"weekly": {"tue": too_many}}, "tue")
        dup = [{"date": "2026-01-12", "intervals": []}, {"date": "2026-01-12", "intervals": []}]
        err = assert_rejected(Availability, AVAILABILITY | {"overrides": dup}, "overrides")
        assert "2026-01-12" in str(err)
        assert_rejected(Availability, AVAILABILITY | {"overrides": [{"date": "2026-02-30", "intervals": []}]}, "date")
        assert_rejected(Availability, AVAILABILITY | {"unknownField": 1}, "unknownField")

    def test_override_intervals_merge(self):
        o = DateOverride.model_validate({"date": "2026-01-12", "intervals": [{"start": "10:00", "end": "12:00"}, {"start": "12:00", "end": "13:00"}]})
        assert o.intervals == [WallInterval(start="10:00", end="13:00")]


class TestBookedBlock:
    def test_for_appointment_adds_buffers(self):
        t = AppointmentType.model_validate(TYPE | {"bufferBeforeMinutes": 10, "bufferAfterMinutes": 15})
        b = BookedBlock.for_appointment("a1", t, datetime(2026, 1, 12, 10, 0, tzinfo=UTC))
        assert b.end == datetime(2026, 1, 12, 10, 30, tzinfo=UTC)
        assert b.block == Range(datetime(2026, 1, 12, 9, 50, tzinfo=UTC), datetime(2026, 1, 12, 10, 45, tzinfo=UTC))
        assert BookedBlock.from_dict(b.to_dict()) == b
        assert hash(b) == hash(BookedBlock.from_dict(b.to_dict()))

    def test_block_must_contain_the_appointment(self):
        with pytest.raises(ValueError):
            BookedBlock(
                "a1", "t1", datetime(2026, 1, 12, 10, tzinfo=UTC), datetime(2026, 1, 12, 11, tzinfo=UTC),
                Range(datetime(2026, 1, 12, 10, 30, tzinfo=UTC), datetime(2026, 1, 12, 11, tzinfo=UTC)),
            )


def test_status_machine():
    assert can_transition(AppointmentStatus.CONFIRMED, AppointmentStatus.CANCELLED)
    assert can_transition("confirmed", "completed") and can_transition("confirmed", "no_show")
    assert not can_transition("cancelled", "confirmed")
    assert not can_transition("completed", "no_show")
    assert not can_transition("confirmed", "confirmed")
    assert not can_transition("confirmed", "bogus")


def test_reason_codes_are_exactly_the_client_contract():
    assert {r.value for r in Reason} == {
        "invalid_request", "unknown_provider", "provider_inactive", "unknown_type", "type_inactive",
        "type_not_offered", "not_on_slot", "outside_availability", "too_soon", "too_far", "slot_taken",
        "limit_reached", "unknown_customer", "not_reschedulable", "too_many_upcoming", "processing_failed",
    }
