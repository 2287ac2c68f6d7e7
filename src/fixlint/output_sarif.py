"""SARIF 2.1.0, the format code-scanning services read (GitHub's upload-sarif among them).

One run: the tool with the selected rules (help text and a link to each rule's page), one
result per finding, and a SARIF fix for each finding whose fix ``--fix`` would apply.

Locations are relative to the current directory, with ``uriBaseId`` ``%SRCROOT%`` (the run's
``originalUriBaseIds`` says which directory that was). Code scanning matches results to
files in the repository by such relative paths, and the report does not depend on where the
checkout happened to be. A file outside the current directory gets an absolute file URI.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from fixlint import __version__
from fixlint.report import Diagnostic, TextEdit
from fixlint.output import rule_url
from fixlint.rule_docs import DOCS_URL
from fixlint.rules import ALL_RULES
from fixlint.rules.base import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"


def sarif_document(
    diagnostics: Sequence[Diagnostic], selected: Sequence[str], *, unsafe_fixes: bool, errors: int = 0
) -> str:
    """The whole log; ``selected`` are the selected rules' codes; ``errors`` (files that could
    not be checked) marks the run unsuccessful."""
    # Findings only come from selected rules; the union keeps every ruleId resolvable anyway.
    wanted = {*selected, *(d.code for d in diagnostics)}
    rules = [rule for rule in ALL_RULES if rule.code in wanted]
    index = {rule.code: position for position, rule in enumerate(rules)}
    run = {
        "tool": {
            "driver": {
                "name": "fixlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": DOCS_URL,
                "rules": [_descriptor(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().absolute().as_uri().rstrip("/") + "/"}},
        # Our columns count characters, not SARIF's default UTF-16 code units.
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": errors == 0}],
        "results": [_result(d, index[d.code], unsafe_fixes) for d in diagnostics],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False)


def _descriptor(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": f"{rule.summary}."},
        "fullDescription": {"text": _what_it_does(rule)},
        "help": {"text": rule.explanation.strip(), "markdown": rule.explanation.strip()},
        "helpUri": rule_url(rule.code),
        "defaultConfiguration": {"level": "error"},
    }


def _what_it_does(rule: Rule) -> str:
    """The explanation's first section ("What it does"), as one paragraph of text."""
    match = re.search(r"^## What it does\n(.*?)(?=^## |\Z)", rule.explanation, re.MULTILINE | re.DOTALL)
    text = match.group(1) if match else ""
    return " ".join(text.split()) or f"{rule.summary}."


def _result(diagnostic: Diagnostic, rule_index: int, unsafe_fixes: bool) -> dict[str, object]:
    location = artifact_location(diagnostic.path)
    region = _region(diagnostic.line, diagnostic.column, diagnostic.end_line, diagnostic.end_column)
    result: dict[str, object] = {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": "error",
        "message": {"text": diagnostic.message},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
    }
    if diagnostic.fix_edit is not None and diagnostic.fixable(unsafe_fixes):
        result["fixes"] = [_fix(diagnostic.fix_title or "", diagnostic.fix_edit, location)]
    return result


def _fix(title: str, edit: TextEdit, location: dict[str, str]) -> dict[str, object]:
    replacement = {
        "deletedRegion": _region(edit.start_line, edit.start_column, edit.end_line, edit.end_column),
        "insertedContent": {"text": edit.content},
    }
    return {
        "description": {"text": title},
        "artifactChanges": [{"artifactLocation": location, "replacements": [replacement]}],
    }


def _region(start_line: int, start_column: int, end_line: int, end_column: int) -> dict[str, int]:
    """1-based lines and columns; the end column is the one after the region, as in SARIF."""
    return {
        "startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column
    }


def artifact_location(path: str) -> dict[str, str]:
    """A URI relative to ``%SRCROOT%`` (the current directory), or a file URI outside it."""
    absolute = os.path.abspath(path)  # abspath also folds ``..``, which relative_to would keep
    cwd = os.getcwd()
    try:
        inside = os.path.commonpath([absolute, cwd]) == cwd
    except ValueError:  # another drive (Windows)
        inside = False
    if inside:
        return {"uri": quote(Path(os.path.relpath(absolute, cwd)).as_posix()), "uriBaseId": SRCROOT}
    return {"uri": Path(absolute).as_uri()}
