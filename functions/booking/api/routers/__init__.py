"""One router module per service."""
