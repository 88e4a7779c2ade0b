"""Runs every row of the access matrix (matrix_cases.py) against the emulator.

Each row is one client call over REST with the actor's Auth-emulator ID
token; an `allow` row must get HTTP 200 and a `deny` row HTTP 403 (a denial by
the rules, not some other error). The last test fails if any expression of
firestore.rules was never evaluated by the rows, and saves the emulator's
coverage report to test-output/rules-coverage.html.
"""

from __future__ import annotations

from collections import Counter

import matrix_client as client
import matrix_coverage
import pytest
from matrix_cases import ALLOW, CASES, DENY, OPS, WHO, Case
from matrix_fixtures import resolve, restore, whole_minute_now

RAN: set[str] = set()


def _path(case: Case, index: int) -> str:
    """The row's document path; `*` becomes an id unique to the row."""
    assert isinstance(case.target, str)
    return case.target.replace("*", f"matrix-{index:03d}")


def test_the_matrix_is_well_formed():
    ids = [c.id for c in CASES]
    assert len(CASES) >= 80
    assert not [i for i, n in Counter(ids).items() if n > 1], "duplicate row ids"
    for case in CASES:
        assert case.who in WHO, case.id
        assert case.op in OPS, case.id
        assert case.expect in (ALLOW, DENY), case.id
        assert (case.op == "list") == isinstance(case.target, client.Query), case.id
        assert (case.data is not None) == (case.op in ("create", "update")), case.id
    # every operation that is allowed somewhere is also shown being denied,
    # except reading slots and their any-provider view, which are open to everyone
    allowed = {(c.collection, c.op) for c in CASES if c.expect == ALLOW}
    denied = {(c.collection, c.op) for c in CASES if c.expect == DENY}
    public = {(c, op) for c in ("slots", "typeSlots") for op in ("get", "list")}
    assert not allowed - denied - public, f"allowed but never denied: {sorted(allowed - denied)}"


@pytest.mark.parametrize(
    ("index", "case"), list(enumerate(CASES)), ids=[c.id for c in CASES]
)
def test_access(world, index: int, case: Case):
    token = world.tokens[case.who]
    if case.op == "list":
        resp = client.run_query(case.target, token)
        call = f"list {case.target.describe()}"
    else:
        path = _path(case, index)
        restore(world.db, path)
        data = resolve(case.data, whole_minute_now()) if case.data is not None else None
        if case.op == "get":
            resp = client.get(path, token)
        elif case.op == "create":
            resp = client.create(path, data, token)
        elif case.op == "update":
            resp = client.update(path, data, token)
        else:
            resp = client.delete(path, token)
        call = f"{case.op} {path}"

    expected = 200 if case.expect == ALLOW else 403
    RAN.add(case.id)
    assert resp.status_code == expected, (
        f"{case.who} {call} ({case.why}): expected {case.expect} (HTTP {expected}), "
        f"got HTTP {resp.status_code}: {resp.text[:500]}"
    )


def test_every_rule_expression_was_evaluated(world):
    """Runs last: the matrix must evaluate every expression of firestore.rules."""
    missing_rows = {c.id for c in CASES} - RAN
    if missing_rows:
        pytest.skip(f"only a subset of the matrix ran ({len(missing_rows)} rows missing)")

    report = matrix_coverage.fetch()
    html, _ = matrix_coverage.save()
    print(f"\nrules coverage report: {html}")

    files = report.get("rules", {}).get("files", [])
    assert files and files[0]["content"] == matrix_coverage.RULES_FILE.read_text(), (
        "the emulator's rules are not the current firestore.rules"
    )
    expressions = matrix_coverage.expressions(report)
    assert expressions, "empty coverage report"
    unevaluated = matrix_coverage.never_evaluated(report)
    assert not unevaluated, (
        f"{len(unevaluated)} of {len(expressions)} rule expressions never evaluated "
        f"(see {html}):\n" + "\n".join(str(e) for e in unevaluated)
    )
    # both sides: every allow condition and boolean helper was seen granting
    # and refusing
    one_sided = matrix_coverage.one_sided(report)
    assert not one_sided, "conditions never seen both true and false:\n" + "\n".join(
        f"{e} {e.outcomes}" for e in one_sided
    )
