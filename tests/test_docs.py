"""The rule pages in docs/rules are generated from the rules' declarations and must be current."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixlint.rule_docs import main, pages
from fixlint.rules import ALL_RULES

RULE_DOCS = Path(__file__).parents[1] / "docs" / "rules"
SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety")


def test_generated_rule_pages_are_current() -> None:
    written = {path.name: path.read_text(encoding="utf-8") for path in RULE_DOCS.glob("*.md")}
    stale = sorted(name for name in pages().keys() | written.keys() if pages().get(name) != written.get(name))
    assert not stale, f"regenerate with `python -m fixlint.rule_docs docs/rules`: {stale}"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_every_rule_explains_itself_in_the_same_sections(rule) -> None:
    positions = [rule.explanation.find(section) for section in SECTIONS]
    assert -1 not in positions and positions == sorted(positions), rule.code
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert rule.code.startswith("FXL") and len(rule.code) == 6


@pytest.mark.parametrize("option", ["--help", "-h"])
def test_an_option_is_refused_not_taken_for_the_folder(option, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([option]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m fixlint.rule_docs") and err.count("\n") == 1
    assert not any(tmp_path.iterdir())  # no folder named after the option
