"""Every corpus case: exact findings, exact fix outputs, fixes that settle in one run."""

from __future__ import annotations

from collections import Counter

import pytest

from corpus import CORPUS, Case, cases
from fixlint.engine import check_source
from fixlint.project import ProjectIndex
from fixlint.rules import ALL_RULES

CASES = cases()


def _run(source: bytes, case: Case, **options: bool):
    """The default rules plus the case folder's own rule (FXL405 is off by default), on the
    case's real path, so the conftest.py files around it are part of the check. Installed
    plugins are left out: what the corpus expects must not depend on this environment."""
    rules = [rule for rule in ALL_RULES if rule.default or case.id.startswith(f"{rule.code}/")]
    project = ProjectIndex(installed_plugins=())
    report = check_source(source, str(case.path), rules, project=project, **options)
    assert report.error is None, report.error
    return report


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_findings_are_exactly_the_expected_ones(case: Case) -> None:
    report = _run(case.source, case)
    found = Counter((d.line, d.code) for d in report.diagnostics)
    assert sorted(found.elements()) == sorted(case.expected.elements())
    if case.is_near_miss:
        assert not found, "a near miss (ok_*.py) must produce no finding"


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
@pytest.mark.parametrize("unsafe", [False, True], ids=["fix", "unsafe-fixes"])
def test_fix_output_is_exact_and_idempotent(case: Case, unsafe: bool) -> None:
    expected = case.fixed_unsafe if unsafe else case.fixed_safe
    report = _run(case.source, case, fix=True, unsafe_fixes=unsafe)
    assert (report.fixed or case.source).decode() == expected.decode()
    assert (report.fixed or case.source) == expected
    again = _run(expected, case, fix=True, unsafe_fixes=unsafe)
    assert again.fixed is None, "a second --fix run changed the file again"


@pytest.mark.parametrize("rule", [r for r in ALL_RULES if r.check is not None], ids=lambda r: r.code)
def test_every_rule_has_flagged_cases_and_near_misses(rule) -> None:
    folder = CORPUS / rule.code
    own = [case for case in CASES if case.path.is_relative_to(folder)]
    assert any(rule.code in {code for _, code in case.expected} for case in own), "no flagged case"
    assert any(case.is_near_miss for case in own), "no near miss (ok_*.py)"
    if rule.fix is not None:
        assert any(case.fixed_unsafe != case.source for case in own), "no expected --fix output"
