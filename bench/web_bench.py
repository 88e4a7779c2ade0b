"""Web app benchmark: the booking page on a phone (run by `make bench`,
inside the emulator suite, against the web app Hosting serves from web/dist).

Prints:
- page weight: every JS and CSS file the booking page requested, as the
  browser's network events saw them (what index.html references plus any
  chunk loaded later), raw, gzipped and as sent (the Hosting emulator
  compresses, as Hosting does), per file and in total;
- time to the first free times: from navigation start to the first
  `button.slot` visible, at 375 x 812, each load in a new browser context
  (cold cache), unthrottled (the floor) and under DevTools' "Fast 3G"
  network with a 4x CPU slowdown (Lighthouse's mobile setting); p50, p95
  and their ratio.

The world: one provider open round the clock (UTC), one 30-minute type with
no notice, so the week shown (the one holding tomorrow) has free times
whatever the hour.
"""

from __future__ import annotations

import gzip
import os
import shutil
import statistics
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "tests")]

from booking.store.clients import db as admin_db  # noqa: E402
from support import emulator  # noqa: E402
from support.world import seed, wait_for_sheet  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PHONE = {"width": 375, "height": 812}
RUNS = 5
ROUND_THE_CLOCK = {d: [{"start": "00:00", "end": "23:30"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}

# DevTools' "Fast 3G" preset, as in ChromeDevTools/devtools-frontend,
# front_end/core/sdk/NetworkManager.ts (Fast3GConditions): download
# 1.6 Mbit/s x 0.9 = 180 000 B/s (1.44 Mbit/s), upload 750 kbit/s x 0.9 =
# 84 375 B/s, latency 150 ms x 3.75 = 562.5 ms (the factors turn Lighthouse's
# packet-level figures into request-level throttling). DevTools pairs it
# with a 4x CPU slowdown in its "Mid-tier mobile" preset, as Lighthouse does.
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 180_000, "uploadThroughput": 84_375}
CPU_SLOWDOWN = 4

# performance.now() counts from the navigation's start (timeOrigin);
# polled on every animation frame, so the reading is within a frame.
FIRST_SLOT = """() => {
  const slot = [...document.querySelectorAll("button.slot")].find((b) => b.checkVisibility());
  return slot ? performance.now() : false;
}"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def gzipped(body: bytes) -> int:
    """Bytes after gzip at level 6, what a web server's default sends."""
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def kib(raw: int, gz: int, sent: int) -> str:
    return f"{raw / 1024:7.1f} KiB raw  {gz / 1024:6.1f} KiB gzip  {sent / 1024:6.1f} KiB sent"


def load(browser, url: str, throttled: bool, weights: dict[str, tuple[bytes, int]] | None = None) -> float:
    """One cold load of the booking page: milliseconds from navigation start
    to the first free time shown. Collects each JS and CSS file into
    `weights` when given: path -> (body, bytes on the wire)."""
    context = browser.new_context(viewport=PHONE, timezone_id="UTC", locale="en-GB")
    try:
        page = context.new_page()
        if weights is not None:
            def keep(response):
                if response.request.resource_type in ("script", "stylesheet") and response.ok:
                    body = response.body()
                    weights[urlparse(response.url).path] = (body, response.request.sizes()["responseBodySize"])
            page.on("response", keep)
        if throttled:
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", FAST_3G)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(url, wait_until="commit")
        shown = page.wait_for_function(FIRST_SLOT, polling="raf", timeout=120_000)
        return float(shown.json_value())
    finally:
        context.close()


def main() -> int:
    if not (ROOT / "web" / "dist" / "index.html").exists():
        print("\nWeb app benchmark skipped: web/dist is not built (bash scripts/build_web.sh)")
        return 0
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        print(f"\nWeb app benchmark skipped: no Chromium at {CHROMIUM} (bash scripts/setup_browser.sh, or set CHROMIUM_PATH)")
        return 0
    from playwright.sync_api import sync_playwright

    db = admin_db()
    emulator.clear_firestore()
    seed(db, weekly=ROUND_THE_CLOCK, type_fields={"minNoticeMinutes": 0})
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    if not wait_for_sheet(db, "dr-ada", tomorrow, lambda s: bool(s.get("available", {}).get("consult"))):
        print("the provider's day sheets did not appear", file=sys.stderr)
        return 1
    url = f"{emulator.HOSTING}/#/book?week={tomorrow.isoformat()}"

    weights: dict[str, tuple[bytes, int]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            load(browser, url, throttled=False, weights=weights)  # warms the emulators; its bytes are the weight
            floor = [load(browser, url, throttled=False) for _ in range(RUNS)]
            slow = [load(browser, url, throttled=True) for _ in range(RUNS)]
        finally:
            browser.close()

    print("\nWeb app: the booking page on a phone (375 x 812, Chromium, Hosting emulator)")
    print("  page weight (JS and CSS the page requested; gzip at level 6; sent: as the Hosting emulator sent it):")
    totals = [0, 0, 0]
    for path, (body, sent) in sorted(weights.items()):
        sizes = (len(body), gzipped(body), sent)
        totals = [t + n for t, n in zip(totals, sizes)]
        print(f"    {path:34} " + kib(*sizes))
    print(f"    {'total':34} " + kib(*totals))
    print(f"  time to the first free times (navigation start -> first button.slot visible), {RUNS} cold loads each:")
    base = statistics.median(floor)
    for name, values in (("unthrottled (the floor)", floor), (f"Fast 3G + {CPU_SLOWDOWN}x CPU slowdown", slow)):
        p50 = statistics.median(values)
        print(f"    {name:34} p50 {p50:6.0f} ms, p95 {pct(values, 0.95):6.0f} ms  ({p50 / base:.1f}x the floor)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
