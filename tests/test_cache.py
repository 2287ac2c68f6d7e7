"""The results cache in .fixlint_cache/: a second run reads no unchanged file, and never
reports a stale result when the file, a conftest.py it depends on or the settings change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import fixlint.runner
from fixlint.cli import main
from samples import LEAKY

# A session fixture requesting `thing`: fine while `thing` is session-scoped, a scope
# mismatch (FXL401) as soon as a conftest.py makes it function-scoped.
BROAD = """\
import pytest


@pytest.fixture(scope="session")
def broad(thing):
    return thing


def test_it(broad):
    assert broad
"""
THING = """\
import pytest


@pytest.fixture(scope="{scope}")
def thing():
    return object()
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.fixlint]\n[tool.pytest.ini_options]\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_text(THING.format(scope="session"))
    (tmp_path / "tests" / "test_broad.py").write_text(BROAD)
    (tmp_path / "tests" / "test_db.py").write_text(LEAKY)
    saved_a_while_ago(tmp_path)
    return tmp_path


def saved_a_while_ago(root: Path) -> None:
    """A file saved just before (or during) a run may have changed after fixlint read it
    without its time showing it: its result is not kept for the next run. Files a test wrote
    a moment ago are dated back, as if saved a minute before the run."""
    for path in root.rglob("*"):
        then = path.stat().st_mtime_ns - 60 * 10**9
        os.utime(path, ns=(then, then))


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the engine really checks (read and analysed), run after run."""
    seen: list[str] = []
    real = fixlint.runner.check_bytes

    def counting(source, job, project=None):  # type: ignore[no-untyped-def]
        seen.append(Path(job.path).as_posix())
        return real(source, job, project)

    monkeypatch.setattr(fixlint.runner, "check_bytes", counting)
    return seen


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", *args])
    return code, capsys.readouterr().out


def test_second_run_checks_nothing_and_reports_the_same(project, checked, capsys) -> None:
    first = run(capsys)
    assert sorted(checked) == ["tests/conftest.py", "tests/test_broad.py", "tests/test_db.py"]
    checked.clear()
    assert run(capsys) == first
    assert checked == []
    assert "tests/test_db.py:6:5: FXL201" in first[1]


def test_a_changed_file_is_checked_again(project, checked, capsys) -> None:
    run(capsys)
    checked.clear()
    (project / "tests" / "test_broad.py").write_text(BROAD.replace('"session"', '"module"') + "\n")
    run(capsys)
    assert checked == ["tests/test_broad.py"]


def test_an_unchanged_file_is_checked_again_when_its_conftest_changes(project, checked, capsys) -> None:
    assert "FXL401" not in run(capsys)[1]
    (project / "tests" / "conftest.py").write_text(THING.format(scope="function"))
    code, out = run(capsys)
    assert "tests/test_broad.py:5:11: FXL401" in out and code == 1


def test_a_new_conftest_between_the_file_and_the_old_one_is_seen(project, capsys) -> None:
    nested = project / "tests" / "nested"
    nested.mkdir()
    (nested / "test_broad.py").write_text(BROAD)
    saved_a_while_ago(project)
    assert "FXL401" not in run(capsys)[1]
    (nested / "conftest.py").write_text(THING.format(scope="function"))
    assert "tests/nested/test_broad.py:5:11: FXL401" in run(capsys)[1]


def test_changed_settings_check_again(project, checked, capsys) -> None:
    run(capsys)
    checked.clear()
    assert run(capsys, "--ignore", "FXL201")[0] == 0
    assert sorted(checked) == ["tests/conftest.py", "tests/test_broad.py", "tests/test_db.py"]


def test_fix_still_fixes_a_file_whose_finding_came_from_the_cache(project, capsys) -> None:
    run(capsys)
    assert run(capsys, "--fix")[0] == 0
    assert "finally:" in (project / "tests" / "test_db.py").read_text()
    assert run(capsys)[0] == 0


def test_paths_are_shown_as_this_run_names_them(project, capsys, monkeypatch) -> None:
    run(capsys)
    monkeypatch.chdir(project / "tests")
    assert run(capsys, ".")[1].startswith("test_db.py:6:5: FXL201")


def test_no_cache_neither_reads_nor_writes_it(project, checked, capsys) -> None:
    run(capsys, "--no-cache")
    assert not (project / ".fixlint_cache").exists()
    run(capsys)
    checked.clear()
    run(capsys, "--no-cache")
    assert len(checked) == 3


def test_cache_folder_is_marked_for_backup_tools_and_git(project, capsys) -> None:
    run(capsys)
    cache = project / ".fixlint_cache"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache / ".gitignore").read_text() == "*\n"


def test_a_damaged_cache_is_an_empty_one(project, checked, capsys) -> None:
    first = run(capsys)
    for stored in (project / ".fixlint_cache").glob("*.pickle"):
        stored.write_bytes(b"not a pickle")
    checked.clear()
    assert run(capsys) == first
    assert len(checked) == 3


def test_same_size_and_time_but_new_content_is_not_trusted_when_recent(project, capsys) -> None:
    """A file rewritten within the clock's resolution keeps its size and time; a result kept
    from within two seconds of its change is therefore checked by content."""
    target = project / "tests" / "test_db.py"
    clean = LEAKY.replace("    seed(conn)\n", "    pass\n      \n")[: len(LEAKY)]
    target.write_text(LEAKY)  # saved just now
    run(capsys)
    before = target.stat()
    target.write_text(clean.ljust(len(LEAKY)))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    assert "test_db.py" not in run(capsys)[1]


def test_clean_removes_fixlint_caches_and_nothing_else(project, capsys) -> None:
    run(capsys)
    impostor = project / "tests" / ".fixlint_cache"
    impostor.mkdir()
    (impostor / "keep.txt").write_text("not ours")
    assert main(["clean"]) == 0
    assert capsys.readouterr().out.strip() == "Removed .fixlint_cache"
    assert not (project / ".fixlint_cache").exists()
    assert (impostor / "keep.txt").exists()


def _same_size_same_time(path: Path, text: str) -> None:
    """Rewrite ``path`` so that neither its size nor its modification time changes."""
    before = path.stat()
    assert len(text.encode()) == before.st_size
    path.write_text(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_conftest_rewritten_within_the_same_clock_tick_is_read_again(project, capsys) -> None:
    (project / "tests" / "conftest.py").write_text(THING.format(scope="session"))  # saved just now
    assert "FXL401" not in run(capsys)[1]
    _same_size_same_time(project / "tests" / "conftest.py", THING.format(scope="package"))
    assert "tests/test_broad.py:5:11: FXL401" in run(capsys)[1]


def test_pytest_configuration_rewritten_within_the_same_clock_tick_is_read_again(project, capsys) -> None:
    (project / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n")
    (project / "tests" / "test_unknown.py").write_text("def test_it(mystery):\n    pass\n")
    saved_a_while_ago(project)
    (project / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n")  # saved just now
    assert "FXL405" in run(capsys, "--select", "FXL405")[1]
    _same_size_same_time(project / "pytest.ini", "[pytest]\ntestpaths = other\n")
    assert "FXL405" not in run(capsys, "--select", "FXL405")[1]


def test_a_module_created_where_an_import_now_finds_it(project, capsys) -> None:
    """``from helpers import *`` finds the nearest helpers.py; a new, nearer one wins."""
    (project / "helpers.py").write_text(THING.format(scope="function"))
    (project / "tests" / "conftest.py").unlink()
    (project / "tests" / "test_broad.py").write_text("from helpers import *\n" + BROAD)
    saved_a_while_ago(project)
    assert "tests/test_broad.py:6:11: FXL401" in run(capsys)[1]
    (project / "tests" / "helpers.py").write_text(THING.format(scope="session"))
    assert "FXL401" not in run(capsys)[1]


def test_a_new_requirements_folder_naming_an_unknown_plugin_is_seen(project, capsys) -> None:
    (project / "tests" / "test_unknown.py").write_text("def test_it(mystery):\n    pass\n")
    saved_a_while_ago(project)
    assert "FXL405" in run(capsys, "--select", "FXL405")[1]
    (project / "requirements").mkdir()
    (project / "requirements" / "test.txt").write_text("pytest-mysteryplugin\n")
    assert "FXL405" not in run(capsys, "--select", "FXL405")[1]


class _Planted:
    """What a cache file planted in a repository could hold: unpickling it runs code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (self.marker, "ran"))


def test_a_cache_file_fixlint_did_not_sign_is_never_unpickled(project, checked, capsys) -> None:
    import pickle

    first = run(capsys)
    marker = project / "planted"
    for stored in (project / ".fixlint_cache").glob("*.pickle"):
        stored.write_bytes(bytes(32) + pickle.dumps(_Planted(marker)))
    checked.clear()
    assert run(capsys) == first
    assert not marker.exists()
    assert len(checked) == 3


def test_a_run_of_cache_hits_imports_neither_libcst_nor_the_rules(project) -> None:
    """What keeps a re-run over an unchanged suite quick: nothing is parsed, so nothing that
    parses is loaded (libcst alone takes longer to import than the rest of such a run)."""
    script = (
        "import sys\n"
        "from fixlint.cli import main\n"
        "code = main(['check'])\n"
        "loaded = sorted(m for m in sys.modules if m == 'libcst' or m.startswith(('fixlint.rules', 'fixlint.engine')))\n"
        "print('loaded:', loaded)\n"
        "sys.exit(code)\n"
    )
    first, second = (
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
        for _ in range(2)
    )
    findings, loaded = first.stdout.rsplit("loaded:", 1)
    assert "tests/test_db.py:6:5: FXL201" in findings and "libcst" in loaded  # the first run checked
    assert (second.returncode, second.stdout) == (first.returncode, f"{findings}loaded: []\n")
