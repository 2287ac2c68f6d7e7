"""JUnit XML, for CI servers that show test reports (Jenkins, GitLab, Azure Pipelines).

Each file with findings is a test suite and each finding a failed test case, so the CI page
lists them per file. A clean run is one passing test case: CI servers treat a report without
any test as a broken report. The shape follows Jenkins' junit-10.xsd, which has no place for a
line number on a test case: the line is in the test case's name and in the failure text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import PurePath

from fixlint.report import Diagnostic
from fixlint.rules import BY_CODE


def junit_document(diagnostics: Sequence[Diagnostic]) -> str:
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        by_file.setdefault(diagnostic.path, []).append(diagnostic)
    root = ET.Element("testsuites", _counts("fixlint", max(1, len(diagnostics)), len(diagnostics)))
    if not by_file:
        suite = ET.SubElement(root, "testsuite", _counts("fixlint", 1, 0))
        ET.SubElement(suite, "testcase", {"name": "no findings", "classname": "fixlint"})
    for path, found in by_file.items():
        suite = ET.SubElement(root, "testsuite", {**_counts(_xml_safe(path), len(found), len(found)), "file": _xml_safe(path)})
        for diagnostic in found:
            suite.append(_testcase(diagnostic))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _counts(name: str, tests: int, failures: int) -> dict[str, str]:
    return {"name": name, "tests": str(tests), "failures": str(failures), "errors": "0"}


def _testcase(diagnostic: Diagnostic) -> ET.Element:
    where = f"{diagnostic.line}:{diagnostic.column}"
    name = f"{diagnostic.code} {BY_CODE[diagnostic.code].name} at {where}"
    case = ET.Element("testcase", {"name": name, "classname": _xml_safe(_classname(diagnostic.path))})
    message = _xml_safe(diagnostic.message)
    failure = ET.SubElement(case, "failure", {"type": diagnostic.code, "message": message})
    failure.text = _xml_safe(f"{diagnostic.path}:{where}: {diagnostic.code} {diagnostic.message}")
    return case


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """XML 1.0 has no way to write most control characters (a message may quote code holding
    one): they are shown escaped, as ``\\x1b``."""
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _classname(path: str) -> str:
    """``tests/conftest.py`` -> ``tests.conftest``: CI servers split class names at the dots."""
    return ".".join(part for part in PurePath(path).with_suffix("").parts if part.strip("./\\")) or path
