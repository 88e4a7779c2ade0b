"""Busy time from the providers' own calendars (iCalendar feeds).

``fetch`` gets a feed's bytes without letting its URL reach inside our
network, ``parse`` turns them into busy spans inside a window, and
``booking.services.feed_import`` keeps a provider's ``source: feed`` time
off equal to them. Nothing is imported here, so importing the package costs
nothing (httpx and icalendar load only when a poll runs).
"""
