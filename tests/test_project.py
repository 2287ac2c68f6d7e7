"""The project index: where a requested fixture comes from, as pytest would find it."""

from __future__ import annotations

from pathlib import Path

import pytest

import fixlint.summary
from fixlint.cache import SummaryCache
from fixlint.engine import check_source
from fixlint.project import ProjectIndex
from fixlint.rules import BY_CODE

FXL401 = [BY_CODE["FXL401"]]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _codes(path: Path, rules=FXL401, project: ProjectIndex | None = None) -> list[tuple[int, str]]:
    report = check_source(path.read_bytes(), str(path), rules, project=project or ProjectIndex(installed_plugins=()))
    assert report.error is None
    return [(d.line, d.code) for d in report.diagnostics]


FUNCTION_PORT = "import pytest\n\n@pytest.fixture\ndef port():\n    return 1\n"
SESSION_PORT = 'import pytest\n\n@pytest.fixture(scope="session")\ndef port():\n    return 1\n'
SERVER = 'import pytest\n\n@pytest.fixture(scope="session")\ndef server(port):\n    return port\n'


def test_a_single_file_sees_the_conftest_files_above_it(tmp_path: Path) -> None:
    _write(tmp_path, {"pytest.ini": "[pytest]\n", "conftest.py": FUNCTION_PORT, "pkg/test_a.py": SERVER})
    assert _codes(tmp_path / "pkg" / "test_a.py") == [(4, "FXL401")]


def test_the_nearest_conftest_wins(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pytest.ini": "[pytest]\n",
        "conftest.py": FUNCTION_PORT,
        "pkg/conftest.py": SESSION_PORT,
        "pkg/test_a.py": SERVER,
    })
    assert _codes(tmp_path / "pkg" / "test_a.py") == []


def test_conftest_files_above_the_rootdir_are_not_read(tmp_path: Path) -> None:
    _write(tmp_path, {"conftest.py": FUNCTION_PORT, "project/pytest.ini": "[pytest]\n", "project/test_a.py": SERVER})
    assert _codes(tmp_path / "project" / "test_a.py") == []


def test_pytest_plugins_modules_are_read_and_an_unreadable_one_silences_the_rules(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pytest.ini": "[pytest]\n",
        "conftest.py": 'pytest_plugins = ["helpers.net"]\n',
        "helpers/__init__.py": "",
        "helpers/net.py": FUNCTION_PORT,
        "test_a.py": SERVER,
    })
    assert _codes(tmp_path / "test_a.py") == [(4, "FXL401")]
    unknown = BY_CODE["FXL405"]
    request_typo = "def test_typo(prot):\n    pass\n"
    (tmp_path / "test_b.py").write_text(request_typo)
    assert _codes(tmp_path / "test_b.py", [unknown]) == [(1, "FXL405")]
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["helpers.net", "somewhere.else"]\n')
    assert _codes(tmp_path / "test_b.py", [unknown]) == []


def test_the_user_plugin_fixtures_setting_is_a_plugin(tmp_path: Path) -> None:
    _write(tmp_path, {"pytest.ini": "[pytest]\n", "test_a.py": SERVER})
    project = ProjectIndex(installed_plugins=(), plugin_fixtures=(("port", "function"),))
    assert _codes(tmp_path / "test_a.py", project=project) == [(4, "FXL401")]
    assert _codes(tmp_path / "test_a.py") == []  # unknown name: FXL401 says nothing


def test_summaries_come_from_the_cache_on_a_second_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, {"pytest.ini": "[pytest]\n", "conftest.py": FUNCTION_PORT, "test_a.py": SERVER})
    cache_dir = tmp_path / ".fixlint_cache"
    first = ProjectIndex(installed_plugins=(), cache=SummaryCache(cache_dir, "test"))
    assert _codes(tmp_path / "test_a.py", project=first) == [(4, "FXL401")]
    first.cache.save()  # type: ignore[union-attr]
    assert (cache_dir / "CACHEDIR.TAG").is_file() and (cache_dir / ".gitignore").read_text() == "*\n"

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged conftest.py was parsed again")

    monkeypatch.setattr(fixlint.summary, "summary_of_source", no_parsing)
    second = ProjectIndex(installed_plugins=(), cache=SummaryCache(cache_dir, "test"))
    assert _codes(tmp_path / "test_a.py", project=second) == [(4, "FXL401")]

    monkeypatch.undo()
    (tmp_path / "conftest.py").write_text(SESSION_PORT + "\n# changed\n")
    third = ProjectIndex(installed_plugins=(), cache=SummaryCache(cache_dir, "test"))
    assert _codes(tmp_path / "test_a.py", project=third) == []


def test_a_damaged_cache_is_an_empty_one(tmp_path: Path) -> None:
    _write(tmp_path, {"pytest.ini": "[pytest]\n", "conftest.py": FUNCTION_PORT, "test_a.py": SERVER})
    cache_dir = tmp_path / ".fixlint_cache"
    cache_dir.mkdir()
    (cache_dir / "summaries-test.pickle").write_bytes(b"not a pickle")
    project = ProjectIndex(installed_plugins=(), cache=SummaryCache(cache_dir, "test"))
    assert _codes(tmp_path / "test_a.py", project=project) == [(4, "FXL401")]


def test_fixtures_imported_from_a_project_module_keep_their_scope(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pytest.ini": "[pytest]\n",
        "support/__init__.py": "",
        "support/fixtures.py": FUNCTION_PORT,
        "conftest.py": "from support.fixtures import port\n",
        "test_a.py": SERVER,
    })
    assert _codes(tmp_path / "test_a.py") == [(4, "FXL401")]


def test_addopts_plugins_and_star_imports_from_outside_keep_fxl405_quiet(tmp_path: Path) -> None:
    unknown = [BY_CODE["FXL405"]]
    _write(tmp_path, {"pytest.ini": "[pytest]\naddopts = -p myplugin\n", "test_a.py": "def test_a(thing):\n    pass\n"})
    assert _codes(tmp_path / "test_a.py", unknown) == []
    _write(tmp_path, {"pytest.ini": "[pytest]\n", "conftest.py": "from outside.fixtures import *\n"})
    assert _codes(tmp_path / "test_a.py", unknown) == []
    (tmp_path / "conftest.py").write_text("")
    assert _codes(tmp_path / "test_a.py", unknown) == [(1, "FXL405")]


def test_names_a_conftest_imports_are_visible_even_without_the_word_fixture(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pytest.ini": "[pytest]\n",
        "conftest.py": "from outside.net import port\n",
        "test_a.py": "def test_a(port):\n    pass\n",
    })
    assert _codes(tmp_path / "test_a.py", [BY_CODE["FXL405"]]) == []


def test_a_conftest_and_the_tests_beside_it_see_the_same_index_in_any_order(tmp_path: Path) -> None:
    """One index serves many files: what it remembers for a directory must not depend on
    whether the conftest.py or a test module of that directory was checked first."""
    override = "import pytest\n\n@pytest.fixture\ndef tmp_path(tmp_path):\n    return tmp_path\n"
    _write(tmp_path, {"pytest.ini": "[pytest]\n", "conftest.py": FUNCTION_PORT + override,
                      "test_a.py": "def test_a(port):\n    pass\n"})
    rules = [BY_CODE["FXL403"], BY_CODE["FXL405"]]
    for order in (("conftest.py", "test_a.py"), ("test_a.py", "conftest.py")):
        project = ProjectIndex(installed_plugins=())
        assert [_codes(tmp_path / name, rules, project) for name in order] == [[], []]


def test_the_projects_own_plugin_is_read_and_an_unknown_plugin_dependency_silences_fxl405(tmp_path: Path) -> None:
    unknown = [BY_CODE["FXL405"]]
    _write(tmp_path, {
        "pyproject.toml": '[project.entry-points.pytest11]\nmine = "mypkg.plugin"\n\n[tool.pytest.ini_options]\n',
        "mypkg/__init__.py": "",
        "mypkg/plugin.py": FUNCTION_PORT,
        "tests/test_a.py": "def test_a(port, prot):\n    pass\n",
    })
    assert _codes(tmp_path / "tests" / "test_a.py", unknown) == [(1, "FXL405")]  # `prot` only
    (tmp_path / "requirements-dev.txt").write_text("pytest>=8\npytest-somethingnew==1.0\n")
    assert _codes(tmp_path / "tests" / "test_a.py", unknown, ProjectIndex(installed_plugins=())) == []


def test_fxl405_skips_files_outside_testpaths(tmp_path: Path) -> None:
    unknown = [BY_CODE["FXL405"]]
    _write(tmp_path, {
        "pytest.ini": "[pytest]\ntestpaths = tests\n",
        "tests/test_a.py": "def test_a(prot):\n    pass\n",
        "examples/test_demo.py": "def test_demo(base_url):\n    pass\n",
    })
    assert _codes(tmp_path / "tests" / "test_a.py", unknown) == [(1, "FXL405")]
    assert _codes(tmp_path / "examples" / "test_demo.py", unknown) == []


def test_what_a_check_read_is_the_same_whichever_file_asked_first(tmp_path: Path) -> None:
    """The results cache keys a file's result by what its check read; memoised answers must
    report their reads to every later asker, or the second file's result would go stale."""
    _write(tmp_path, {
        "pytest.ini": "[pytest]\n",
        "conftest.py": 'pytest_plugins = ["helpers"]\n',
        "helpers.py": FUNCTION_PORT,
        "pkg/conftest.py": SESSION_PORT,
        "pkg/test_a.py": SERVER,
        "pkg/test_b.py": SERVER,
    })
    project = ProjectIndex(installed_plugins=())
    reads = []
    for name in ("test_a.py", "test_b.py"):
        path = tmp_path / "pkg" / name
        with project.reading() as found:
            check_source(path.read_bytes(), str(path), FXL401, project=project)
        reads.append(found)
    assert reads[0] == reads[1]
    # what was found, and what was looked for and not found (creating it changes the answer)
    assert {str(tmp_path / "conftest.py"), str(tmp_path / "pkg" / "conftest.py"), str(tmp_path / "helpers.py"),
            str(tmp_path / "pytest.ini"), str(tmp_path / "pkg" / "pytest.ini"), str(tmp_path / "pkg" / "helpers.py"),
            } <= reads[0]
