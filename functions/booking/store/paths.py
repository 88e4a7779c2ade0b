"""Collection names: the data model of docs/design.md in one place."""

APPOINTMENT_TYPES = "appointmentTypes"
PROVIDERS = "providers"
PROVIDER_CONTACTS = "providerContacts"
AVAILABILITY = "availability"
CUSTOMERS = "customers"
BOOKING_REQUESTS = "bookingRequests"
APPOINTMENTS = "appointments"
SLOTS = "slots"
MAIL = "mail"
MESSAGES = "messages"  # text messages for the Twilio extension
CUSTOMER_LEDGERS = "customerLedgers"  # backend only: each customer's upcoming appointments
SETTINGS = "settings"
BOOKING_SETTINGS = f"{SETTINGS}/booking"
TIME_OFF = "timeOff"
CALENDAR_FEEDS = "calendarFeeds"  # one per provider: the secret iCal URL and its import status
TYPE_SLOTS = "typeSlots"  # the "any provider" view: one per type and UTC date (domain/type_slots.py)
