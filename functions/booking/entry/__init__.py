"""The Cloud Functions entry points, grouped by kind; main.py exports them.

Each handler parses its event or request, calls one service function and
logs. Nothing here does work at import: deploy discovery and every cold
start import all of it.
"""
