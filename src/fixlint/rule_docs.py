"""A rule's documentation page, made from its declaration (the only place its text lives).

``fixlint rule CODE`` prints it; ``python -m fixlint.rule_docs docs/rules`` writes
docs/rules/<CODE>.md and the rule index; a test fails when the written pages are stale.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fixlint.report import FixSafety

if TYPE_CHECKING:
    from fixlint.rules.base import Rule

# Where the documentation site is served (mkdocs.yml's site_url); a rule's page is
# DOCS_URL + "rules/FXL201/" (mkdocs serves docs/rules/FXL201.md with directory URLs).
DOCS_URL = "https://fixlint.github.io/fixlint/"

_FIX_TEXT = {
    None: "No fix.",
    FixSafety.SAFE: "A safe fix is available (`--fix`).",
    FixSafety.UNSAFE: "An unsafe fix is available (`--fix --unsafe-fixes`).",
}


def render_rule(rule: Rule) -> str:
    default = "on by default" if rule.default else "off by default (select it to use it)"
    return (
        f"# {rule.code} {rule.name}\n\n"
        f"{rule.summary}.\n\n"
        f"{_FIX_TEXT[rule.fix]} This rule is {default}.\n\n"
        f"{rule.explanation.rstrip()}\n"
    )


def render_index() -> str:
    from fixlint.rules import ALL_RULES

    rows = "\n".join(
        f"| [{rule.code}]({rule.code}.md) | {rule.name} | {rule.summary} | "
        f"{rule.fix.value if rule.fix else '-'} | {'yes' if rule.default else 'no'} |"
        for rule in ALL_RULES
    )
    return (
        "# Rules\n\n"
        "Generated from each rule's declaration by `python -m fixlint.rule_docs docs/rules`;"
        " do not edit by hand.\n\n"
        "| code | name | what it finds | fix | default |\n"
        "| --- | --- | --- | --- | --- |\n"
        f"{rows}\n"
    )


def pages() -> dict[str, str]:
    """File name -> content, for every generated page."""
    from fixlint.rules import ALL_RULES

    generated = {f"{rule.code}.md": render_rule(rule) for rule in ALL_RULES}
    generated["index.md"] = render_index()
    return generated


def write(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.md"):
        if stale.name not in pages():
            stale.unlink()
    for name, content in pages().items():
        (directory / name).write_text(content, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Refuse options: ``--help`` would otherwise be taken as the folder to write into."""
    args = sys.argv[1:] if argv is None else argv
    if any(arg.startswith("-") for arg in args):
        print("usage: python -m fixlint.rule_docs [DIRECTORY]  (default: docs/rules)", file=sys.stderr)
        return 2
    write(Path(args[0] if args else "docs/rules"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
