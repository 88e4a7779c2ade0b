"""Validated scheduling models.

Field names are snake_case in Python and camelCase in Firestore and JSON
(``durationMinutes``); both spellings are accepted on input. Unknown fields
are rejected, so a typo such as ``durationMinute`` is an error rather than a
silently ignored setting. Every validation error names its field.

Decisions where the design (docs/design.md) is silent:

* All durations, buffers, intervals, notices and cutoffs are whole minutes.
  A duration, buffer or slot interval is at most 24 h; notice and
  cancellation cutoff at most a year; the horizon at most 730 days.
* ``daily_limit`` counts the confirmed appointments *of that type* that a
  provider has on one provider-local day (by the appointment's start).
* ``WallInterval``: ``HH:MM`` wall-clock times; ``end`` may be ``24:00``; an
  end at or before the start means the interval runs past midnight into the
  next day (``22:00``-``02:00``). ``start == end`` is rejected as ambiguous.
* Overlapping or touching intervals of one weekday (or of one override) are
  merged when the model is built, so stored schedules are canonical. A merge
  whose result could not be written as one ``HH:MM`` pair (24 h or longer,
  other than ``00:00``-``24:00``) keeps the pieces apart; open hours are
  merged again on the UTC timeline, so the result is the same.
* ``price`` is a ``Decimal`` in Python (no binary rounding in arithmetic) and
  serialises as a JSON/Firestore number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from .customer_cap import MAX_UPCOMING_LIMIT
from .ids import ID_MAX, SAFE_ID_PATTERN, SAFE_ID_RULE, is_safe_id
from .phones import PHONE_EXAMPLE, PHONE_PATTERN, InvalidPhone, to_e164
from .ranges import Range, to_utc
from .zones import is_valid_zone

__all__ = [
    "AppointmentType",
    "Availability",
    "BookedBlock",
    "Customer",
    "DateOverride",
    "Provider",
    "WallInterval",
    "Weekday",
    "MAX_INTERVALS_PER_DAY",
    "MAX_OVERRIDES",
    "DEFAULT_REMINDER_MINUTES",
    "MAX_REMINDERS",
    "MAX_REMINDER_MINUTES",
    "Reminder",
]

# The security rules repeat these sizes for client writes;
# tests/unit/domain/test_rules_limits_parity.py holds the two together.
MAX_NAME = 120
MAX_EMAIL = 254
MAX_INTERVALS_PER_DAY = 12
MAX_OVERRIDES = 366
MAX_BIO = 2000
MAX_PHOTO_URL = 2048
MINUTES_PER_DAY = 24 * 60


def _check_zone(value: str) -> str:
    if not is_valid_zone(value):
        raise ValueError(f"unknown IANA time zone {value!r} (expected e.g. 'Europe/London')")
    return value


def _check_email(value: str) -> str:
    # Deliberately loose: one @, something on both sides, a dot in the domain.
    # Deliverability is the mail extension's business.
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise ValueError(f"not an email address: {value!r}")
    return value


def _check_phone(value: str) -> str:
    try:
        return to_e164(value)
    except InvalidPhone as error:
        # its own error type, so the message reaches the API without pydantic's "Value error, "
        raise PydanticCustomError("phone_number", "{reason}", {"reason": str(error)}) from error


def _check_id(value: str) -> str:
    if not is_safe_id(value):
        raise ValueError(f"must be {SAFE_ID_RULE}")
    return value


# The one id alphabet (booking.domain.ids), for stored documents too: a
# console-made document whose id is outside it fails validation, and its
# trigger records why, instead of poisoning the names derived from it.
Id = Annotated[str, AfterValidator(_check_id),
               WithJsonSchema({"type": "string", "pattern": SAFE_ID_PATTERN, "maxLength": ID_MAX})]
TimeZoneName = Annotated[str, AfterValidator(_check_zone)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_EMAIL), AfterValidator(_check_email)]
# Stored in E.164 (domain/phones.py); the schema shows what may be typed.
Phone = Annotated[str, AfterValidator(_check_phone),
                  WithJsonSchema({"type": "string", "pattern": PHONE_PATTERN, "examples": [PHONE_EXAMPLE],
                                  "description": "with its country code; stored in E.164, e.g. +442079460958"})]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME)]
Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=4),
    PlainSerializer(float, return_type=float),
]


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


# Reminders per appointment type (services/reminders.py sends them). A week
# is the longest lead anyone asks a clinic or salon for; a bound keeps the
# daily job's scan of coming appointments to 30 days plus that week.
MAX_REMINDERS = 5
MAX_REMINDER_MINUTES = 7 * MINUTES_PER_DAY
DEFAULT_REMINDER_MINUTES = MINUTES_PER_DAY


class Reminder(_Model):
    """One reminder, ``before_minutes`` real minutes before the start."""

    model_config = ConfigDict(frozen=True)

    before_minutes: int = Field(ge=1, le=MAX_REMINDER_MINUTES)


def _unique_reminders(value: list[Reminder]) -> list[Reminder]:
    offsets = [r.before_minutes for r in value]
    if len(set(offsets)) != len(offsets):
        raise ValueError("each beforeMinutes may appear once")
    return value


class AppointmentType(_Model):
    """A kind of appointment a provider offers."""

    id: Id
    name: Name
    description: str = Field(default="", max_length=2000)
    duration_minutes: int = Field(ge=1, le=MINUTES_PER_DAY)
    buffer_before_minutes: int = Field(default=0, ge=0, le=MINUTES_PER_DAY)
    buffer_after_minutes: int = Field(default=0, ge=0, le=MINUTES_PER_DAY)
    slot_interval_minutes: int | None = Field(default=None, ge=1, le=MINUTES_PER_DAY)
    min_notice_minutes: int = Field(default=0, ge=0, le=525_600)
    horizon_days: int = Field(default=60, ge=1, le=730)
    capacity: int = Field(default=1, ge=1, le=1000)
    cancel_cutoff_minutes: int = Field(default=0, ge=0, le=525_600)
    daily_limit: int | None = Field(default=None, ge=1)
    # this type's own cap on one customer's upcoming appointments (domain/customer_cap.py)
    max_upcoming_per_customer: int | None = Field(default=None, ge=1, le=MAX_UPCOMING_LIMIT)
    price: Money = Decimal(0)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    active: bool = True
    # default: one reminder a day ahead; [] turns them off
    reminders: Annotated[list[Reminder], Field(max_length=MAX_REMINDERS), AfterValidator(_unique_reminders)] = Field(
        default_factory=lambda: [Reminder(before_minutes=DEFAULT_REMINDER_MINUTES)])

    @property
    def interval(self) -> int:
        """Minutes between consecutive starts: the slot interval, else the duration."""
        return self.slot_interval_minutes or self.duration_minutes

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def buffer_before(self) -> timedelta:
        return timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_after_minutes)


class Provider(_Model):
    """A person or resource that appointments are booked with."""

    id: Id
    name: Name
    email: Email | None = None
    phone: Phone | None = None
    time_zone: TimeZoneName
    type_ids: list[Id] = Field(default_factory=list, max_length=500)
    active: bool = True
    bio: str | None = Field(default=None, max_length=MAX_BIO)
    photo_url: str | None = Field(default=None, max_length=MAX_PHOTO_URL)

    @field_validator("type_ids")
    @classmethod
    def _unique_type_ids(cls, value: list[str]) -> list[str]:
        # keep the first occurrence's order; duplicates carry no meaning
        return list(dict.fromkeys(value))


class Customer(_Model):
    """A person who books appointments (id = their auth uid, or an id the
    API chose for a walk-in without an account). Reachable somehow: an
    e-mail or a phone (a phone caller may give only a number)."""

    id: Id
    name: Name
    email: Email | None = None
    phone: Phone | None = None
    time_zone: TimeZoneName | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Customer:
        if self.email is None and self.phone is None:
            raise ValueError("give an email or a phone")
        return self


_HHMM = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")


def _minutes(text: str) -> int:
    return int(text[:2]) * 60 + int(text[3:])


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class WallInterval(_Model):
    """Open hours on one wall-clock day, ``start`` to ``end`` as ``HH:MM``.

    ``end`` may be ``24:00``; an end at or before the start runs into the
    next day.
    """

    model_config = ConfigDict(frozen=True)

    start: str
    end: str

    @field_validator("start")
    @classmethod
    def _valid_start(cls, value: str) -> str:
        if not isinstance(value, str) or not _HHMM.match(value):
            raise ValueError(f"expected a wall-clock time HH:MM between 00:00 and 23:59, got {value!r}")
        return value

    @field_validator("end")
    @classmethod
    def _valid_end(cls, value: str, info: ValidationInfo) -> str:
        if not isinstance(value, str) or not (_HHMM.match(value) or value == "24:00"):
            raise ValueError(f"expected a wall-clock time HH:MM between 00:00 and 24:00, got {value!r}")
        start = info.data.get("start")
        if start is not None and _minutes(start) == _minutes(value):
            raise ValueError(f"end must differ from start ({start}); use 00:00-24:00 for a whole day")
        return value

    @property
    def start_minute(self) -> int:
        """Minutes after the day's midnight."""
        return _minutes(self.start)

    @property
    def end_minute(self) -> int:
        """Minutes after the *start day's* midnight: above 1440 when crossing midnight."""
        end = _minutes(self.end)
        return end if end > self.start_minute else end + MINUTES_PER_DAY

    @property
    def crosses_midnight(self) -> bool:
        return self.end_minute > MINUTES_PER_DAY

    @classmethod
    def from_minutes(cls, start: int, end: int) -> WallInterval:
        end_text = "24:00" if end == MINUTES_PER_DAY else _hhmm(end % MINUTES_PER_DAY)
        return cls(start=_hhmm(start), end=end_text)


def _representable(start: int, end: int) -> bool:
    length = end - start
    return length < MINUTES_PER_DAY or (start == 0 and end == MINUTES_PER_DAY)


def merge_wall_intervals(intervals: list[WallInterval]) -> list[WallInterval]:
    """Sort one day's intervals and merge overlapping or touching ones."""
    spans = sorted((i.start_minute, i.end_minute) for i in intervals)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            last_start, last_end = merged[-1]
            joined = (last_start, max(last_end, end))
            if _representable(*joined):
                merged[-1] = joined
                continue
        merged.append((start, end))
    return [WallInterval.from_minutes(s, e) for s, e in merged]


DayIntervals = Annotated[list[WallInterval], Field(max_length=MAX_INTERVALS_PER_DAY)]


class DateOverride(_Model):
    """Replaces one date's weekly hours; no intervals means closed that day."""

    date: date
    intervals: DayIntervals = Field(default_factory=list)

    @field_validator("intervals")
    @classmethod
    def _merge(cls, value: list[WallInterval]) -> list[WallInterval]:
        return merge_wall_intervals(value)


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @classmethod
    def of(cls, d: date) -> Weekday:
        return _WEEKDAYS[d.weekday()]


_WEEKDAYS = list(Weekday)


class Availability(_Model):
    """A provider's working hours in their wall-clock time.

    ``weekly`` maps ``mon`` .. ``sun`` to that day's intervals (a missing day
    is closed); ``overrides`` replace the weekly hours of single dates.
    ``time_zone`` defaults to the provider's zone.
    """

    provider_id: Id
    time_zone: TimeZoneName | None = None
    weekly: dict[Weekday, DayIntervals] = Field(default_factory=dict)
    overrides: list[DateOverride] = Field(default_factory=list, max_length=MAX_OVERRIDES)

    @field_validator("weekly")
    @classmethod
    def _merge_weekly(cls, value: dict[Weekday, list[WallInterval]]) -> dict[Weekday, list[WallInterval]]:
        return {day: merge_wall_intervals(value[day]) for day in Weekday if day in value}

    @field_validator("overrides")
    @classmethod
    def _unique_dates(cls, value: list[DateOverride]) -> list[DateOverride]:
        seen: set[date] = set()
        for override in value:
            if override.date in seen:
                raise ValueError(f"more than one override for {override.date.isoformat()}")
            seen.add(override.date)
        return sorted(value, key=lambda o: o.date)

    def zone_name(self, provider_time_zone: str) -> str:
        """The zone these hours are written in: their own, else the provider's."""
        return self.time_zone or provider_time_zone

    def override_index(self) -> dict[date, list[WallInterval]]:
        return {o.date: o.intervals for o in self.overrides}

    def intervals_on(self, d: date, overrides: dict[date, list[WallInterval]] | None = None) -> list[WallInterval]:
        """The wall intervals that apply on local date ``d`` (override, else weekly)."""
        index = self.override_index() if overrides is None else overrides
        if d in index:
            return index[d]
        return self.weekly.get(Weekday.of(d), [])


@dataclass(frozen=True, slots=True)
class BookedBlock:
    """A confirmed appointment as the slot computation sees it.

    ``start``/``end`` are the appointment's own time; ``block`` adds the
    type's buffers and is what must not overlap another booking.
    """

    appointment_id: str
    type_id: str
    start: datetime
    end: datetime
    block: Range

    def __post_init__(self) -> None:
        own = Range(self.start, self.end)  # validates awareness and order
        object.__setattr__(self, "start", own.start)
        object.__setattr__(self, "end", own.end)
        if not self.block.contains(own):
            raise ValueError("a booked block must contain its appointment's own time")

    @classmethod
    def for_appointment(cls, appointment_id: str, appt_type: AppointmentType, start: datetime) -> BookedBlock:
        """The block an appointment of ``appt_type`` at ``start`` occupies, with the type's current buffers."""
        start = to_utc(start)
        end = start + appt_type.duration
        block = Range(start - appt_type.buffer_before, end + appt_type.buffer_after)
        return cls(appointment_id, appt_type.id, start, end, block)

    def to_dict(self) -> dict[str, object]:
        """The camelCase shape of a block inside a day document."""
        return {
            "appointmentId": self.appointment_id,
            "typeId": self.type_id,
            "start": self.start,
            "end": self.end,
            "blockStart": self.block.start,
            "blockEnd": self.block.end,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> BookedBlock:
        def instant(key: str) -> datetime:
            value = data[key]
            if not isinstance(value, datetime):
                raise ValueError(f"{key} must be a timestamp")
            # Firestore returns aware UTC datetimes; a naive one can only mean UTC.
            return value if value.tzinfo else value.replace(tzinfo=UTC)

        return cls(
            appointment_id=str(data["appointmentId"]),
            type_id=str(data["typeId"]),
            start=instant("start"),
            end=instant("end"),
            block=Range(instant("blockStart"), instant("blockEnd")),
        )
