"""The ``fixlint`` command as users run it: output, exit codes, --fix, --diff, stdin."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from fixlint.cli import main
from samples import CLEAN, LEAKY, LEAKY_FIXED



@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_text(LEAKY)
    (tmp_path / "tests" / "test_clean.py").write_text(CLEAN)
    return tmp_path


def test_reports_path_line_column_code_and_exits_1(project: Path, capsys) -> None:
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("tests/conftest.py:6:5: FXL201 [*] `conn` is acquired by `connect()`")
    assert "Found 1 error." in out


def test_clean_tree_exits_0(project: Path, capsys) -> None:
    assert main(["check", "tests/test_clean.py"]) == 0
    assert "All checks passed!" in capsys.readouterr().out


def test_exit_zero_keeps_the_report(project: Path, capsys) -> None:
    assert main(["check", "--exit-zero"]) == 0
    assert "FXL201" in capsys.readouterr().out


def test_fix_rewrites_the_file_and_exits_0_when_nothing_remains(project: Path, capsys) -> None:
    target = project / "tests" / "conftest.py"
    target.chmod(0o640)
    assert main(["check", "--fix", "--show-fixes"]) == 0
    assert target.read_text() == LEAKY_FIXED
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    out = capsys.readouterr().out
    assert "Found 1 error (1 fixed, 0 remaining)." in out
    assert "FXL201 Wrap the steps" in out


def test_diff_prints_changes_writes_nothing_and_exits_1(project: Path, capsys) -> None:
    assert main(["check", "--diff"]) == 1
    out = capsys.readouterr().out
    assert "+    try:" in out and "--- tests/conftest.py" in out
    assert (project / "tests" / "conftest.py").read_text() == LEAKY


def test_select_and_ignore_take_prefixes(project: Path, capsys) -> None:
    assert main(["check", "--ignore", "FXL2"]) == 0
    assert main(["check", "--select", "FXL201", "--ignore", "FXL2"]) == 1  # the more specific wins
    assert main(["check", "--select", "FXL1"]) == 0


def test_unknown_code_is_a_usage_error(project: Path, capsys) -> None:
    assert main(["check", "--select", "FXL999"]) == 2
    assert "'FXL999' matches no fixlint rule" in capsys.readouterr().err


def test_json_output(project: Path, capsys) -> None:
    assert main(["check", "--output-format", "json"]) == 1
    [finding] = json.loads(capsys.readouterr().out)
    assert finding["code"] == "FXL201"
    assert finding["location"] == {"row": 6, "column": 5}
    assert finding["fix"]["applicability"] == "safe"


def test_statistics(project: Path, capsys) -> None:
    main(["check", "--statistics"])
    assert "1\tFXL201\t[*] setup-failure-leak" in capsys.readouterr().out


def test_stdin_reports_under_the_given_name(tmp_path: Path) -> None:
    result = _run(["check", "-", "--stdin-filename", "conftest.py"], stdin=LEAKY, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("conftest.py:6:5: FXL201")


def test_stdin_fix_prints_the_fixed_source(tmp_path: Path) -> None:
    result = _run(["check", "-", "--fix"], stdin=LEAKY, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == LEAKY_FIXED


def test_syntax_error_is_reported_and_other_files_still_checked(project: Path, capsys) -> None:
    (project / "tests" / "test_broken.py").write_text("import pytest\n@pytest.fixture\ndef f(:\n    pass\n")
    assert main(["check", "--fix"]) == 1
    out = capsys.readouterr().out
    assert "tests/test_broken.py:3:7: FXL001 could not parse this file" in out
    assert (project / "tests" / "conftest.py").read_text() == LEAKY_FIXED
    assert (project / "tests" / "test_broken.py").read_text().startswith("import pytest\n@pytest")


def test_missing_path_is_an_error(project: Path, capsys) -> None:
    assert main(["check", "nope"]) == 2
    assert "nope: no such file or directory" in capsys.readouterr().err


def test_an_internal_error_is_never_summed_up_as_passed(project: Path, monkeypatch, capsys) -> None:
    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr("fixlint.engine.check_source", broken)
    assert main(["check", "--jobs", "1", "tests/conftest.py"]) == 2
    captured = capsys.readouterr()
    assert "internal error: KeyError" in captured.err
    assert "All checks passed" not in captured.out
    assert "1 file could not be checked" in captured.out


def test_read_only_file_is_not_written(project: Path, capsys) -> None:
    target = project / "tests" / "conftest.py"
    target.chmod(0o444)
    assert main(["check", "--fix"]) == 2
    assert "is read-only" in capsys.readouterr().err
    assert target.read_text() == LEAKY


def test_rule_explains_a_code(capsys) -> None:
    assert main(["rule", "FXL201"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# FXL201 setup-failure-leak")
    assert "## Why is this bad?" in out
    assert main(["rule", "FXL999"]) == 2


def test_module_entry_point_runs() -> None:
    result = _run(["--version"], cwd=Path.cwd())
    assert result.returncode == 0 and result.stdout.startswith("fixlint ")


def _run(args: list[str], *, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fixlint", *args],
        input=stdin, capture_output=True, text=True, cwd=cwd, check=False,
    )


def test_a_file_that_cannot_be_written_keeps_its_findings_where_they_are(project: Path, capsys) -> None:
    target = project / "tests" / "conftest.py"
    target.write_text(LEAKY + LEAKY.replace("import pytest\n", "").replace("def db", "def db2"))
    target.chmod(0o444)
    assert main(["check", "--fix"]) == 2
    out = capsys.readouterr().out
    assert "tests/conftest.py:6:5: FXL201" in out and "tests/conftest.py:14:5: FXL201" in out
    assert "Found 2 errors (0 fixed, 2 remaining)." in out


def test_empty_select_is_a_usage_error(project: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--select", ""])
    assert exit_info.value.code == 2
    assert "expected rule codes" in capsys.readouterr().err


def test_a_directory_named_explicitly_is_walked_even_under_an_excluded_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    tests = tmp_path / "build" / "pkg" / "tests"
    tests.mkdir(parents=True)
    (tests / "conftest.py").write_text(LEAKY)
    assert main(["check"]) == 0  # `build` is excluded when walking from the root
    assert main(["check", "build/pkg/tests"]) == 1


def test_stdin_with_force_exclude_passes_an_excluded_file_through(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.fixlint]\nextend-exclude = ["legacy/"]\n')
    args = ["check", "-", "--fix", "--force-exclude", "--stdin-filename", "legacy/conftest.py"]
    result = _run(args, stdin=LEAKY, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == LEAKY
