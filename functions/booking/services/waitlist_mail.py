"""The waitlist's *tell me* mail: a freed start and a link that books it.

In the Trigger Email extension's format, like services/notifications.py;
the time is given in the entry's zone (the customer's), which is the zone
its window was written in."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from booking.domain.models import Customer
from booking.domain.settings import EXPIRES_AT, BookingSettings
from booking.domain.waitlist import Entry
from booking.domain.zones import zone


def booking_link(settings: BookingSettings, entry: Entry, provider_id: str, start: datetime) -> str | None:
    """The web app's booking page on the freed start's week (in the entry's
    zone), that provider and type, with that start's booking dialog open
    while it is still free: the parameters web/src/views/book.ts reads."""
    if not settings.app_url:
        return None
    local = start.astimezone(zone(entry.window.time_zone))
    query = urlencode({"type": entry.type_id, "provider": provider_id, "week": local.date().isoformat(),
                       "start": start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")})
    return f"{settings.app_url.rstrip('/')}/#/book?{query}"


def offer_mail(entry: Entry, customer: Customer, provider_id: str, start: datetime, settings: BookingSettings,
               now: datetime) -> dict[str, Any]:
    local = start.astimezone(zone(entry.window.time_zone))
    when = f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({entry.window.time_zone})"
    link = booking_link(settings, entry, provider_id, start)
    lines = [f"Hello {customer.name},",
             f"a time you are waiting for at {settings.business_name} has become free: {when}.",
             "It goes to whoever books it first."]
    text = [*lines, *([f"Book it: {link}"] if link else []), "", settings.business_name]
    paragraphs = [f"<p>{html.escape(line)}</p>" for line in lines]
    if link:
        paragraphs.append(f'<p><a href="{html.escape(link, quote=True)}">Book it</a></p>')
    paragraphs.append(f"<p>{html.escape(settings.business_name)}</p>")
    return {
        "to": customer.email,
        "message": {"subject": f"A time became free: {when}", "text": "\n".join(text), "html": "".join(paragraphs)},
        "waitlistEntryId": entry.id,
        "kind": "waitlist_offer",
        "start": start,
        "providerId": provider_id,
        EXPIRES_AT: settings.mail_expiry(now),
    }
