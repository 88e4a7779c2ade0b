"""The web app runs under the Content-Security-Policy that Hosting sends:
signing in, live slots, booking and following the request to `confirmed`
raise no CSP violation."""

from __future__ import annotations

from .booking_page import book_url, local, slot

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI}`));
"""


def test_booking_under_the_content_security_policy_raises_no_violation(world, tabs):  # noqa: F811
    tab = tabs(zone="Europe/Berlin")
    tab.page.add_init_script(RECORD_VIOLATIONS)
    page_load = tab.page.goto(f"{tab.base}/#/book")
    assert "frame-ancestors 'none'" in page_load.headers["content-security-policy"]

    tab.sign_in(world["email"], then=book_url(world["day"]))
    start = local(world["day"], 11, 0)
    slot(tab, start).click()
    dialog = tab.page.locator("dialog[open]")
    dialog.get_by_role("button", name="Book").click()
    dialog.locator('[data-status="confirmed"]').wait_for(timeout=60_000)

    assert tab.page.evaluate("window.__cspViolations") == []
    assert [e for e in tab.errors if "Content Security Policy" in e] == []
