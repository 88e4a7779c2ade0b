"""The Firestore emulator's rules coverage report.

`GET /emulator/v1/projects/{project}:ruleCoverage` answers

    {"rules": {"files": [{"name": ..., "content": <the rules source>}]},
     "report": [<node>, ...]}

where each node is one expression of the rules source:

    {"sourcePosition": {"line", "column", "currentOffset", "endOffset"},
     "values": [{"value": <a Firestore Value; {} for an error>, "count": n}],
     "children": [<node>, ...]}

`report` lists every expression of every `allow` condition and function body,
evaluated or not; an expression that was never evaluated has no `values`.
(`:ruleCoverage.html` is the same data rendered as the annotated source.)

Loading rules through `PUT /emulator/v1/projects/{project}:securityRules`
starts a fresh report, so the matrix loads `firestore.rules` itself first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import requests
from support import emulator

ROOT = Path(__file__).resolve().parent.parent
RULES_FILE = ROOT / "firestore.rules"
OUTPUT_DIR = ROOT / "test-output"
HTML_FILE = OUTPUT_DIR / "rules-coverage.html"
JSON_FILE = OUTPUT_DIR / "rules-coverage.json"

_BASE = f"{emulator.FIRESTORE}/emulator/v1/projects/{emulator.PROJECT}"
COVERAGE_URL = f"{_BASE}:ruleCoverage"
COVERAGE_HTML_URL = f"{_BASE}:ruleCoverage.html"

saved_this_run = False  # set by save(); the terminal summary prints the location


def load_rules() -> str:
    """Loads the real rules file into the emulator (resetting coverage)."""
    source = RULES_FILE.read_text()
    body = {"rules": {"files": [{"name": str(RULES_FILE), "content": source}]}}
    resp = requests.put(f"{_BASE}:securityRules", json=body, timeout=30)
    if resp.status_code != 200:
        raise RuntimeError(f"the emulator refused firestore.rules: {resp.status_code} {resp.text}")
    return source


def fetch() -> dict[str, Any]:
    resp = requests.get(COVERAGE_URL, timeout=30)
    resp.raise_for_status()
    return resp.json()


def save() -> tuple[Path, Path]:
    """Writes the HTML and JSON reports under test-output/."""
    OUTPUT_DIR.mkdir(exist_ok=True)
    html = requests.get(COVERAGE_HTML_URL, timeout=30)
    html.raise_for_status()
    HTML_FILE.write_text(html.text)
    JSON_FILE.write_text(json.dumps(fetch(), separators=(",", ":")))
    global saved_this_run
    saved_this_run = True
    return HTML_FILE, JSON_FILE


@dataclass(frozen=True)
class Expression:
    line: int
    column: int
    text: str
    outcomes: dict[str, int]  # "true", "false", "error", "<other value>" -> count

    @property
    def evaluated(self) -> bool:
        return bool(self.outcomes)

    def __str__(self) -> str:
        return f"firestore.rules:{self.line}:{self.column}: {self.text}"


def _outcome(value: dict[str, Any]) -> str:
    if not value:
        return "error"
    if "boolValue" in value:
        return str(value["boolValue"]).lower()
    return "value"


def _walk(node: dict[str, Any], source: bytes) -> Iterator[Expression]:
    pos = node["sourcePosition"]
    # offsets into the source; endOffset is inclusive
    start, end = pos.get("currentOffset", 0), pos.get("endOffset", 0)
    text = source[start : end + 1].decode(errors="replace")
    text = " ".join(text.split())
    outcomes: dict[str, int] = {}
    for item in node.get("values", []):
        key = _outcome(item.get("value", {}))
        outcomes[key] = outcomes.get(key, 0) + int(item.get("count", 0))
    yield Expression(pos.get("line", 0), pos.get("column", 0), text, outcomes)
    for child in node.get("children", []):
        yield from _walk(child, source)


def expressions(report: dict[str, Any]) -> list[Expression]:
    """Every expression node of the report, outermost first."""
    files = report.get("rules", {}).get("files", [])
    source = (files[0]["content"] if files else "").encode()
    return [e for node in report.get("report", []) for e in _walk(node, source)]


def never_evaluated(report: dict[str, Any]) -> list[Expression]:
    return [e for e in expressions(report) if not e.evaluated]


def one_sided(report: dict[str, Any]) -> list[Expression]:
    """Conditions (allow expressions and boolean function bodies) that were
    never true, or never false/error, in any evaluation. The literals
    `true` and `false` are one-sided by design."""
    files = report.get("rules", {}).get("files", [])
    source = (files[0]["content"] if files else "").encode()
    out = []
    for node in report.get("report", []):
        top = next(_walk(node, source))
        if top.text in ("true", "false") or not ({"true", "false"} & set(top.outcomes)):
            continue  # a literal, or a helper that returns a value, not a decision
        if "true" not in top.outcomes or not ({"false", "error"} & set(top.outcomes)):
            out.append(top)
    return out
