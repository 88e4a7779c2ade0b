"""Collection names: the data model of DESIGN.md in one place."""

APPOINTMENT_TYPES = "appointmentTypes"
PROVIDERS = "providers"
PROVIDER_CONTACTS = "providerContacts"
AVAILABILITY = "availability"
CUSTOMERS = "customers"
BOOKING_REQUESTS = "bookingRequests"
APPOINTMENTS = "appointments"
SLOTS = "slots"
MAIL = "mail"

# Fields the backend keeps on admin-edited documents; never part of a model.
BACKEND_FIELDS = ("validation", "updatedAt", "createdAt")
