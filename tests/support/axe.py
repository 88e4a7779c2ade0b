"""The axe-core accessibility check, run inside a Playwright page.

axe-core comes from the npm registry as a devDependency of web/ (pinned in
web/package-lock.json, installed by `scripts/build_web.sh --deps`).

How it gets into the page: the app is served with a strict CSP (`script-src
'self'` plus reCAPTCHA, no 'unsafe-inline'), so `page.add_script_tag(content=
...)` inserts an inline <script> that the browser refuses to run, and a
`path=`/`url=` tag would need the file on the app's own origin. Playwright's
`page.evaluate` runs the source through the DevTools protocol
(Runtime.evaluate), which the page's CSP does not govern, so axe is defined
without loosening the policy the tests otherwise prove.
tests/browser/test_accessibility.py checks both halves of this claim.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.0 and 2.1, levels A and AA: what issue 15 asks for. best-practice is
# left out: its rules (a region around every bit of content, one main
# landmark per page, heading order) judge page structure that WCAG leaves
# to the author, and a finding there is not a failure of the criteria.
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING = ("serious", "critical")
TARGETS_SHOWN = 3

_RUN = """async ([tags, context]) => {
  const results = await window.axe.run(context ?? document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(" "), summary: n.failureSummary ?? "" })),
  }));
}"""


@cache
def axe_source() -> str:
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} is missing: run `bash scripts/build_web.sh --deps` (installs web/ devDependencies)")
    return AXE_JS.read_text(encoding="utf-8")


def inject(page) -> None:
    """Defines `window.axe` in the page (again after each navigation that
    loads a new document; hash routes keep it)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())


def violations(page, include: str | None = None) -> list[dict]:
    """Every WCAG 2.1 A/AA violation axe finds (within `include`, a CSS
    selector, or the whole document), each with its failing nodes."""
    inject(page)
    return page.evaluate(_RUN, [list(TAGS), include])


# axe's own getBackgroundColor gives up ("bgOverlap") inside a modal
# <dialog>: it does not model the top layer and takes z-indexed page
# elements behind the dialog for something covering the text. So this reads
# the colours from the computed style instead: the element's text over its
# own background, composited with its own opacity over the nearest opaque
# background of an ancestor (opacity on ancestors is not accounted for).
_CONTRAST = """(selector) => {
  const el = document.querySelector(selector);
  const { Color, flattenColors, getContrast } = axe.commons.color;
  const parse = (value) => new Color().parseString(value);
  let under = parse("rgb(255, 255, 255)");
  for (let up = el.parentElement; up; up = up.parentElement) {
    const colour = parse(getComputedStyle(up).backgroundColor);
    if (colour.alpha === 1) { under = colour; break; }
  }
  const style = getComputedStyle(el);
  const own = flattenColors(parse(style.backgroundColor), under);
  const text = flattenColors(parse(style.color), own);
  const faded = (colour) => { const c = new Color(colour.red, colour.green, colour.blue, Number(style.opacity)); return flattenColors(c, under); };
  return getContrast(faded(own), faded(text));
}"""


def contrast(page, selector: str) -> float:
    """The text contrast of the first element matching `selector`, for what
    axe's rules skip: WCAG exempts disabled controls from 1.4.3, so
    color-contrast never looks at them, yet a greyed label should still be
    legible."""
    inject(page)
    return page.evaluate(_CONTRAST, selector)


def blocking(found: list[dict]) -> list[dict]:
    return [v for v in found if v["impact"] in BLOCKING]


def describe(found: list[dict]) -> str:
    """One paragraph per rule: what is wrong, then the first few elements,
    each with axe's summary of what to change there."""
    if not found:
        return "no violations"
    parts = []
    for v in found:
        nodes = v["nodes"]
        lines = [f"  [{v['impact']}] {v['id']}: {v['help']} ({len(nodes)} element(s); {v['helpUrl']})"]
        for node in nodes[:TARGETS_SHOWN]:
            lines.append(f"      {node['target']}\n        {' '.join(node['summary'].split())}")
        if len(nodes) > TARGETS_SHOWN:
            lines.append(f"      ... and {len(nodes) - TARGETS_SHOWN} more")
        parts.append("\n".join(lines))
    return "\n".join(parts)


def problems(page, where: str, include: str | None = None) -> str:
    """The serious and critical WCAG 2.1 A/AA violations on the page as it
    is now, described for a person, or "" when there are none."""
    found = blocking(violations(page, include))
    return f"{where}:\n{describe(found)}" if found else ""


def assert_accessible(page, where: str, include: str | None = None) -> None:
    found = problems(page, where, include)
    assert not found, f"axe: serious or critical violations on {found}"
