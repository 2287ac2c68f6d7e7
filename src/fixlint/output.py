"""Turning reports into what the user reads: the ``--output-format`` formats, statistics, summaries.

text and full are for people and end with a summary. The others are for machines: standard
output holds only their document (SARIF and JUnit live in their own modules).
"""

from __future__ import annotations

import io
import json
import tokenize
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from fixlint.report import LINE_BREAK, Diagnostic, FixSafety
from fixlint.rule_docs import DOCS_URL

FORMATS = ("text", "full", "json", "json-lines", "github", "sarif", "junit")
DOCUMENT_FORMATS = ("json", "json-lines", "github", "sarif", "junit")


def rule_url(code: str) -> str:
    """The rule's page on the documentation site (mkdocs serves rules/FXL201.md there)."""
    return f"{DOCS_URL}rules/{code}/"


def text_line(diagnostic: Diagnostic, unsafe_fixes: bool) -> str:
    marker = "[*] " if diagnostic.fixable(unsafe_fixes) else ""
    return (
        f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: "
        f"{diagnostic.code} {marker}{diagnostic.message}"
    )


def document(
    output_format: str,
    diagnostics: Sequence[Diagnostic],
    *,
    selected: Sequence[str],
    unsafe_fixes: bool,
    errors: int,
) -> str:
    """A machine format's whole output (ending in a newline unless empty)."""
    if output_format == "json":
        return json_document(diagnostics) + "\n"
    if output_format == "json-lines":
        return "".join(json.dumps(_as_json(d), ensure_ascii=False) + "\n" for d in diagnostics)
    if output_format == "github":
        return "".join(github_line(d) + "\n" for d in diagnostics)
    if output_format == "sarif":
        from fixlint.output_sarif import sarif_document  # imported when used: json and text stay quick

        return sarif_document(diagnostics, selected, unsafe_fixes=unsafe_fixes, errors=errors) + "\n"
    if output_format == "junit":
        from fixlint.output_junit import junit_document

        return junit_document(diagnostics)
    raise ValueError(f"not a machine format: {output_format}")


def json_document(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([_as_json(d) for d in diagnostics], indent=2, ensure_ascii=False)


def _as_json(diagnostic: Diagnostic) -> dict[str, object]:
    from fixlint.rules import BY_CODE  # the rules load only when a format names them

    rule = BY_CODE[diagnostic.code]
    return {
        "code": diagnostic.code,
        "name": rule.name,
        "message": diagnostic.message,
        "filename": diagnostic.path,
        "location": {"row": diagnostic.line, "column": diagnostic.column},
        "end_location": {"row": diagnostic.end_line, "column": diagnostic.end_column},
        "url": rule_url(diagnostic.code),
        "fix": None if diagnostic.fix_safety is None else _json_fix(diagnostic),
    }


def _json_fix(diagnostic: Diagnostic) -> dict[str, object]:
    """As ruff writes a fix: its applicability, its title, and the edit (end exclusive)."""
    edit = diagnostic.fix_edit
    edits = [] if edit is None else [{
        "content": edit.content,
        "location": {"row": edit.start_line, "column": edit.start_column},
        "end_location": {"row": edit.end_line, "column": edit.end_column},
    }]
    assert diagnostic.fix_safety is not None
    return {"applicability": diagnostic.fix_safety.value, "message": diagnostic.fix_title, "edits": edits}


def github_line(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command: an error annotation on the finding's lines."""
    properties = {
        "title": f"fixlint ({diagnostic.code})",
        "file": diagnostic.path,
        "line": diagnostic.line,
        "col": diagnostic.column,
        "endLine": diagnostic.end_line,
        "endColumn": diagnostic.end_column,
    }
    listed = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items())
    where = f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}"
    return f"::error {listed}::{_escape_data(f'{where}: {diagnostic.code} {diagnostic.message}')}"


def _escape_data(text: str) -> str:
    """GitHub's escaping of a command's message: ``%`` first, so the others are not escaped twice."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class SourceLines:
    """The lines of the checked files, read when first needed; ``given`` holds standard input."""

    def __init__(self, given: Mapping[str, bytes] | None = None) -> None:
        self._given = dict(given or {})
        self._lines: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str | None:
        if path not in self._lines:
            self._lines[path] = LINE_BREAK.split(_decode(self._read(path)))
        lines = self._lines[path]
        return lines[number - 1] if 1 <= number <= len(lines) else None

    def _read(self, path: str) -> bytes:
        if path in self._given:
            return self._given[path]
        try:
            return Path(path).read_bytes()
        except OSError:
            return b""


def _decode(source: bytes) -> str:
    """As the parser decodes: the PEP 263 coding line or BOM, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        return source.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return source.decode("utf-8", errors="replace")


def full_block(diagnostic: Diagnostic, unsafe_fixes: bool, sources: SourceLines) -> str:
    """The text line, then the source line with carets under the finding, then the fix's title.

    A finding over several lines is marked from its start to the end of its first line."""
    lines = [text_line(diagnostic, unsafe_fixes)]
    source = sources.line(diagnostic.path, diagnostic.line)
    if source is not None:
        start = min(diagnostic.column, len(source) + 1)
        end = diagnostic.end_column if diagnostic.end_line == diagnostic.line else len(source.rstrip()) + 1
        # Copy the tabs in front of the finding, so the carets line up however tabs are shown.
        lead = "".join("\t" if char == "\t" else " " for char in source[: start - 1])
        gutter = " " * len(str(diagnostic.line))
        lines += [
            f"{gutter} |",
            f"{diagnostic.line} | {source}".rstrip(),
            f"{gutter} | {lead}{'^' * max(1, end - start)}",
            f"{gutter} |",
        ]
    if diagnostic.fix_title:
        lines.append(f"{' ' * len(str(diagnostic.line))} = help: {diagnostic.fix_title}")
    return "\n".join(lines)


def statistics(diagnostics: Iterable[Diagnostic], unsafe_fixes: bool) -> list[str]:
    """One line per code, most frequent first: count, code, [*] when fixable, rule name."""
    from fixlint.rules import BY_CODE

    counts = Counter(d.code for d in diagnostics)
    fixable = {d.code for d in diagnostics if d.fixable(unsafe_fixes)}
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
    can_fix = sum(d.fixable(unsafe_fixes) for d in remaining)
    hidden = sum(d.fix_safety is FixSafety.UNSAFE for d in remaining) if not unsafe_fixes else 0
    if can_fix and not fixing:
        lines.append(f"[*] {can_fix} fixable with the `--fix` option.")
    if hidden:
        lines.append(f"({hidden} hidden fixes can be enabled with the `--unsafe-fixes` option.)")
    return lines + (failed if errors else [])
