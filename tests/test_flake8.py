"""The flake8 plugin, run through the real ``flake8`` as users run it.

The parity test holds flake8 and ``fixlint check`` to the same findings on the whole corpus;
the others cover what flake8 users rely on: noqa, rule selection, the fix hints in messages,
our options in flake8's config and in ``[tool.fixlint]``, errors that read cleanly.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from corpus import CORPUS
from fixlint.rules import ALL_RULES
from samples import LEAKY

FINDING = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]+\d+) (?P<text>.*)$")

# The same leak, made a fixture by the project's own decorator: no "fixture" anywhere in it.
LEAKY_CUSTOM = LEAKY.replace("import pytest", "from myproject.testing import resource").replace(
    "@pytest.fixture", "@resource"
)
TYPO = """\
import pytest


@pytest.fixture
def numbers():
    return (1, 2, 3)


def test_sum(numbrs):
    assert sum(numbrs) == 6
"""
SESSION_HOLDS_CLIENT = """\
import pytest


@pytest.fixture(scope="session")
def shared(cluster_client):
    return cluster_client
"""


def run(tool: str, *args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m flake8`` or ``python -m fixlint`` in a subprocess, as a user would run them."""
    return subprocess.run(
        [sys.executable, "-m", tool, *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=600
    )


def findings(output: str) -> list[dict[str, str]]:
    """The ``path:line:col: CODE text`` lines of an output (summary lines left out)."""
    return [match.groupdict() for line in output.splitlines() if (match := FINDING.match(line))]


def positions(output: str) -> list[tuple[str, int, int, str]]:
    return [(f["path"], int(f["line"]), int(f["column"]), f["code"]) for f in findings(output)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder that is pytest's rootdir (so nothing above it is read), with no config."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    return tmp_path


# -- the whole corpus ---------------------------------------------------------------------

CORPUS_FILES = sorted(path.relative_to(CORPUS).as_posix() for path in CORPUS.rglob("*.py"))


@pytest.fixture(scope="module")
def flake8_on_corpus() -> subprocess.CompletedProcess[str]:
    # E999 too: a file that does not parse is E999 for flake8 and FXL001 for fixlint.
    return run("flake8", "--isolated", "--select", "FXL,E999", *CORPUS_FILES, cwd=CORPUS)


def _comparable(path: str, line: int, column: int, code: str) -> tuple[str, int, int | None, str]:
    """A finding as both tools should agree on it. flake8's E999 column is its own (one past
    CPython's offset), so a parse failure is compared by file and line only."""
    if code in ("FXL001", "E999"):
        return path, line, None, "does-not-parse"
    return path, line, column, code


def test_flake8_and_the_cli_report_the_same_findings_on_the_whole_corpus(flake8_on_corpus) -> None:
    cli = run("fixlint", "check", "--select", "FXL", "--output-format", "text", "--no-cache", *CORPUS_FILES,
              cwd=CORPUS)
    assert cli.returncode == 1, cli.stderr
    assert flake8_on_corpus.returncode == 1, flake8_on_corpus.stdout + flake8_on_corpus.stderr
    expected = Counter(_comparable(*finding) for finding in positions(cli.stdout))
    reported = Counter(_comparable(*finding) for finding in positions(flake8_on_corpus.stdout))
    # Every rule has flagged cases in the corpus: the comparison covers all of them, the rules
    # that are off by default included (``--select FXL`` turns them on in both tools).
    assert {code for *_, code in expected} >= {rule.code for rule in ALL_RULES if rule.check is not None}
    missing = sorted((expected - reported).elements(), key=str)
    extra = sorted((reported - expected).elements(), key=str)
    assert not missing and not extra, (
        f"fixlint check only: {missing}\nflake8 only: {extra}\nflake8 stderr: {flake8_on_corpus.stderr}"
    )


def test_messages_say_how_to_fix_as_the_cli_does(flake8_on_corpus) -> None:
    cli = run("fixlint", "check", "--select", "FXL", "--output-format", "json", "--no-cache", *CORPUS_FILES,
              cwd=CORPUS)
    suffix = {
        None: "",
        "safe": " (fixable with fixlint --fix)",
        "unsafe": " (fixable with fixlint --fix --unsafe-fixes)",
    }
    diagnostics = json.loads(cli.stdout)
    kinds = Counter(d["fix"] and d["fix"]["applicability"] for d in diagnostics)
    assert kinds[None] and kinds["safe"] and kinds["unsafe"], "the corpus should hold each kind of finding"
    expected = Counter(
        (d["filename"], d["location"]["row"], d["location"]["column"],
         f"{d['code']} {d['message']}{suffix[d['fix'] and d['fix']['applicability']]}")
        for d in diagnostics
    )
    reported = Counter(
        (f["path"], int(f["line"]), int(f["column"]), f"{f['code']} {f['text']}")
        for f in findings(flake8_on_corpus.stdout)
        if f["code"] != "E999"
    )
    assert reported == expected


# -- noqa and selection: flake8's ------------------------------------------------------------


@pytest.mark.parametrize(
    ("comment", "reported"),
    [("", True), ("  # noqa", False), ("  # noqa: FXL201", False), ("  # NOQA:FXL2", False),
     ("  # noqa: E501", True)],
)
def test_noqa_on_the_line(project: Path, comment: str, reported: bool) -> None:
    (project / "conftest.py").write_text(LEAKY.replace("conn = connect()", f"conn = connect(){comment}"))
    result = run("flake8", "--isolated", "--select", "FXL", "conftest.py", cwd=project)
    assert ("conftest.py:6:5: FXL201" in result.stdout) is reported, result.stdout + result.stderr


def test_disable_noqa_brings_the_findings_back(project: Path) -> None:
    (project / "conftest.py").write_text(LEAKY.replace("conn = connect()", "conn = connect()  # noqa: FXL201"))
    result = run("flake8", "--isolated", "--select", "FXL", "--disable-noqa", "conftest.py", cwd=project)
    assert "conftest.py:6:5: FXL201" in result.stdout, result.stdout + result.stderr


def test_noqa_rules_are_flake8s(project: Path) -> None:
    """flake8 applies a noqa to every line a backslash joins to its own, and skips a file with
    ``# flake8: noqa``; fixlint itself does neither."""
    multi_line = LEAKY.replace("conn = connect()", "conn = \\\n        connect()  # noqa: FXL201")
    (project / "conftest.py").write_text(multi_line)
    (project / "test_skipped.py").write_text("# flake8: noqa\n" + LEAKY)
    assert positions(run("fixlint", "check", "--no-cache", ".", cwd=project).stdout) == [
        ("conftest.py", 6, 5, "FXL201"),
        ("test_skipped.py", 7, 5, "FXL201"),
    ]
    result = run("flake8", "--isolated", "--select", "FXL", ".", cwd=project)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ([], {"FXL201"}),
        (["--select", "FXL"], {"FXL201", "FXL405"}),
        (["--select", "FXL4"], {"FXL405"}),
        (["--extend-select", "FXL405"], {"FXL201", "FXL405"}),
        (["--select", "FXL", "--extend-ignore", "FXL405"], {"FXL201"}),
        # flake8's own default-ignore list is replaced by --ignore, and F selects FXL too:
        # neither may turn on a rule fixlint keeps off by default.
        (["--ignore", "E501"], {"FXL201"}),
        (["--select", "E,F,W"], {"FXL201"}),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_rules_off_by_default_run_only_when_selected(
    project: Path, selection: list[str], expected: set[str]
) -> None:
    """FXL405 (unknown-fixture) is off by default in fixlint, and so under flake8."""
    (project / "test_typo.py").write_text(TYPO)
    (project / "conftest.py").write_text(LEAKY)
    result = run("flake8", "--isolated", *selection, ".", cwd=project)
    reported = {code for *_, code in positions(result.stdout) if code.startswith("FXL")}
    assert reported == expected, result.stdout + result.stderr


def test_a_file_that_does_not_parse_is_e999_and_nothing_from_fixlint(project: Path) -> None:
    (project / "conftest.py").write_text(LEAKY.replace("def db():", "def db(:"))
    result = run("flake8", "--isolated", "--select", "FXL,E999", "conftest.py", cwd=project)
    cli = run("fixlint", "check", "--no-cache", "conftest.py", cwd=project)
    [(_, line, _, code)] = positions(result.stdout)
    assert code == "E999"
    assert [(line, "FXL001")] == [(line_, code_) for _, line_, _, code_ in positions(cli.stdout)]
    only_ours = run("flake8", "--isolated", "--select", "FXL", "conftest.py", cwd=project)
    assert only_ours.returncode == 0 and only_ours.stdout == "", only_ours.stdout + only_ours.stderr


# -- reading the source ------------------------------------------------------------------------


def test_positions_match_the_cli_with_a_bom_crlf_and_a_coding_cookie(project: Path) -> None:
    """The plugin reads the file's bytes, so columns after non-ASCII text in a latin-1 file are
    the CLI's (flake8's lines, re-encoded as UTF-8, would move them)."""
    source = "# -*- coding: latin-1 -*-\n" + TYPO.replace("def test_sum(", "def test_somme_\u00e0_faire(")
    (project / "test_latin.py").write_bytes(source.replace("\n", "\r\n").encode("latin-1"))
    (project / "test_bom.py").write_bytes(b"\xef\xbb\xbf" + TYPO.replace("\n", "\r\n").encode())
    files = ("test_bom.py", "test_latin.py")
    cli = run("fixlint", "check", "--select", "FXL", "--no-cache", *files, cwd=project)
    result = run("flake8", "--isolated", "--select", "FXL", *files, cwd=project)
    assert positions(cli.stdout) == [("test_bom.py", 9, 14, "FXL405"), ("test_latin.py", 10, 24, "FXL405")]
    assert positions(result.stdout) == positions(cli.stdout), result.stderr


def test_standard_input_is_checked_not_the_file_it_is_named_after(project: Path) -> None:
    """Editors pipe an unsaved buffer with ``--stdin-display-name`` set to its file."""
    (project / "conftest.py").write_text("import pytest\n")
    result = run(
        "flake8", "--isolated", "--select", "FXL", "--stdin-display-name", "conftest.py", "-",
        cwd=project, stdin=LEAKY,
    )
    assert positions(result.stdout) == [("conftest.py", 6, 5, "FXL201")], result.stderr


# -- our options: flake8 config and [tool.fixlint] -----------------------------------------------


def test_fixture_decorators_from_the_flake8_config_make_a_leak_visible(project: Path) -> None:
    (project / "conftest.py").write_text(LEAKY_CUSTOM)
    assert run("flake8", "--select", "FXL", ".", cwd=project).stdout == ""
    (project / ".flake8").write_text("[flake8]\nfixlint-fixture-decorators = myproject.testing.resource\n")
    result = run("flake8", "--select", "FXL", ".", cwd=project)
    assert positions(result.stdout) == [("./conftest.py", 6, 5, "FXL201")], result.stderr


def test_plugin_fixtures_from_setup_cfg_give_their_scope(project: Path) -> None:
    (project / "conftest.py").write_text(SESSION_HOLDS_CLIENT)
    assert "FXL401" not in run("flake8", "--select", "FXL", ".", cwd=project).stdout
    (project / "setup.cfg").write_text(
        "[flake8]\nfixlint-plugin-fixtures =\n    live_cluster = session,\n    cluster_client=function\n"
    )
    result = run("flake8", "--select", "FXL", ".", cwd=project)
    assert positions(result.stdout) == [("./conftest.py", 5, 12, "FXL401")], result.stderr


def test_tool_fixlint_is_read_and_the_flake8_options_add_to_it(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.fixlint]\nfixture-decorators = ["myproject.testing.resource"]\n'
        '[tool.fixlint.plugin-fixtures]\ncluster_client = "function"\n'
    )
    (project / "conftest.py").write_text(LEAKY_CUSTOM)
    (project / "test_other.py").write_text(LEAKY_CUSTOM.replace("myproject.testing", "other.helpers"))
    (project / "test_scope.py").write_text(SESSION_HOLDS_CLIENT)
    command = ("--select", "FXL", "conftest.py", "test_other.py", "test_scope.py")
    assert positions(run("flake8", *command, cwd=project).stdout) == [
        ("conftest.py", 6, 5, "FXL201"),
        ("test_scope.py", 5, 12, "FXL401"),
    ]
    result = run("flake8", "--fixlint-fixture-decorators", "other.helpers.resource", *command, cwd=project)
    assert positions(result.stdout) == [
        ("conftest.py", 6, 5, "FXL201"),
        ("test_other.py", 6, 5, "FXL201"),
        ("test_scope.py", 5, 12, "FXL401"),
    ], result.stderr


@pytest.mark.parametrize("value", ["cluster_client=forever", "cluster_client", "=session"])
def test_a_bad_plugin_fixtures_value_stops_flake8_with_a_message_naming_the_option(
    project: Path, value: str
) -> None:
    (project / ".flake8").write_text(f"[flake8]\nfixlint-plugin-fixtures = {value}\n")
    (project / "conftest.py").write_text(LEAKY)
    result = run("flake8", ".", cwd=project)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    option = "option --fixlint-plugin-fixtures (fixlint-plugin-fixtures in the flake8 config)"
    assert f"{option}: '{value}'" in output
    assert "function, class, module, package, session" in output


def test_a_bad_tool_fixlint_table_stops_flake8_with_a_message_naming_key_and_file(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.fixlint]\nfixture-decorator = ["x"]\n')
    (project / "conftest.py").write_text(LEAKY)
    result = run("flake8", ".", cwd=project)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert f"{project / 'pyproject.toml'}: [tool.fixlint] has an unknown key 'fixture-decorator'" in output
