"""Turning reports into what the user reads: text lines, JSON, statistics, summaries."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from fixlint.engine import Diagnostic
from fixlint.rules import BY_CODE
from fixlint.rules.base import FixSafety

FORMATS = ("text", "json")


def applicable(diagnostic: Diagnostic, unsafe_fixes: bool) -> bool:
    """Would ``--fix`` (with the current ``--unsafe-fixes`` setting) apply this finding's fix?"""
    return diagnostic.fix_safety is FixSafety.SAFE or (
        unsafe_fixes and diagnostic.fix_safety is FixSafety.UNSAFE
    )


def text_line(diagnostic: Diagnostic, unsafe_fixes: bool) -> str:
    marker = "[*] " if applicable(diagnostic, unsafe_fixes) else ""
    return (
        f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: "
        f"{diagnostic.code} {marker}{diagnostic.message}"
    )


def json_document(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([_as_json(d) for d in diagnostics], indent=2, ensure_ascii=False)


def _as_json(diagnostic: Diagnostic) -> dict[str, object]:
    rule = BY_CODE[diagnostic.code]
    return {
        "code": diagnostic.code,
        "name": rule.name,
        "message": diagnostic.message,
        "filename": diagnostic.path,
        "location": {"row": diagnostic.line, "column": diagnostic.column},
        "end_location": {"row": diagnostic.end_line, "column": diagnostic.end_column},
        "fix": None
        if diagnostic.fix_safety is None
        else {"applicability": diagnostic.fix_safety.value, "message": diagnostic.fix_title},
    }


def statistics(diagnostics: Iterable[Diagnostic], unsafe_fixes: bool) -> list[str]:
    """One line per code, most frequent first: count, code, [*] when fixable, rule name."""
    counts = Counter(d.code for d in diagnostics)
    fixable = {d.code for d in diagnostics if applicable(d, unsafe_fixes)}
    width = len(str(max(counts.values(), default=0)))
    return [
        f"{count:>{width}}\t{code}\t{'[*]' if code in fixable else '   '} {BY_CODE[code].name}"
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def summary(
    remaining: list[Diagnostic], fixed: int, unsafe_fixes: bool, fixing: bool, errors: int = 0
) -> list[str]:
    """The closing lines; files that could not be checked are never summed up as "passed"."""
    failed = [f"{errors} file{'s' if errors != 1 else ''} could not be checked (see the errors above)."]
    if not remaining and not fixed:
        return failed if errors else ["All checks passed!"]
    total = len(remaining) + fixed
    noun = "error" if total == 1 else "errors"
    lines = [f"Found {total} {noun} ({fixed} fixed, {len(remaining)} remaining)." if fixing or fixed
             else f"Found {total} {noun}."]
    can_fix = sum(applicable(d, unsafe_fixes) for d in remaining)
    hidden = sum(d.fix_safety is FixSafety.UNSAFE for d in remaining) if not unsafe_fixes else 0
    if can_fix and not fixing:
        lines.append(f"[*] {can_fix} fixable with the `--fix` option.")
    if hidden:
        lines.append(f"({hidden} hidden fixes can be enabled with the `--unsafe-fixes` option.)")
    return lines + (failed if errors else [])
