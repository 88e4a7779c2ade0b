"""settings/booking as the backend reads it: what an admin set, and the
default for anything missing or unusable (a console typo never stops a
booking)."""

from booking.domain.settings import DEFAULT_ORGANIZER, BookingSettings, booking_settings_from


def test_no_document_means_every_default():
    assert booking_settings_from(None) == BookingSettings()
    assert BookingSettings().max_upcoming_per_customer == 10 and BookingSettings().sms_reminders is False


def test_every_usable_value_is_taken():
    settings = booking_settings_from({"maxUpcomingPerCustomer": 3, "businessName": " Clinic Rose ",
                                      "appUrl": "https://rose.example.com/app", "organizerEmail": "desk@rose.example.com",
                                      "smsReminders": True})
    assert settings == BookingSettings(3, "Clinic Rose", "https://rose.example.com/app", "desk@rose.example.com", True)
    assert settings.my_appointments_url == "https://rose.example.com/app/#/appointments"


def test_unusable_values_fall_back_to_their_defaults():
    settings = booking_settings_from({"maxUpcomingPerCustomer": True, "businessName": "", "appUrl": "http://rose.example.com",
                                      "organizerEmail": "nobody", "smsReminders": "yes"})
    assert settings == BookingSettings()
    assert settings.organizer_email == DEFAULT_ORGANIZER and settings.my_appointments_url is None
    assert booking_settings_from({"maxUpcomingPerCustomer": 1001}).max_upcoming_per_customer == 10
    assert booking_settings_from({"appUrl": "https://x.example/a b"}).app_url is None
