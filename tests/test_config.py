"""[tool.fixlint] in pyproject.toml: what it changes, and errors that name the key and file."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixlint.cli import main
from test_cli import CLEAN, LEAKY


def _project(root: Path, config: str) -> Path:
    (root / "pyproject.toml").write_text(f"[tool.fixlint]\n{config}")
    (root / "tests").mkdir()
    (root / "tests" / "conftest.py").write_text(LEAKY)
    (root / "tests" / "test_clean.py").write_text(CLEAN)
    return root


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("config", "exit_code"),
    [
        ("", 1),
        ('ignore = ["FXL2"]', 0),
        ('select = ["FXL1"]', 0),
        ('select = ["FXL1"]\nextend-select = ["FXL201"]', 1),
        ('[tool.fixlint.per-file-ignores]\n"tests/conftest.py" = ["FXL201"]', 0),
        ('[tool.fixlint.per-file-ignores]\n"other/*.py" = ["FXL201"]', 1),
        ('extend-exclude = ["tests/conftest.py"]', 0),
        ('exclude = ["tests"]', 0),
    ],
)
def test_settings_change_what_is_reported(in_tmp: Path, config: str, exit_code: int, capsys) -> None:
    _project(in_tmp, config)
    assert main(["check"]) == exit_code


def test_command_line_select_overrides_the_file(in_tmp: Path) -> None:
    _project(in_tmp, 'select = ["FXL1"]')
    assert main(["check", "--select", "FXL2"]) == 1


def test_config_is_found_from_a_subdirectory(in_tmp: Path, monkeypatch) -> None:
    _project(in_tmp, 'ignore = ["FXL201"]')
    monkeypatch.chdir(in_tmp / "tests")
    assert main(["check", "."]) == 0


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('selct = ["FXL2"]', "unknown key 'selct' (did you mean 'select'?)"),
        ('select = "FXL2"', "key 'select' must be a list of strings"),
        ('ignore = ["FXL999"]', "key 'ignore': 'FXL999' matches no fixlint rule"),
        ('[tool.fixlint.per-file-ignores]\n"a.py" = ["XYZ1"]', "entry 'a.py': 'XYZ1' matches no fixlint rule"),
        ("select = [", "not valid TOML"),
        ('resources = ["myapp.connect"]', "key 'resources' must be a table"),
        ('[tool.fixlint.resources]\n"myapp.connect" = 3', "entry 'myapp.connect' must be a list of strings"),
        ('[tool.fixlint.resources]\n"myapp.connect" = "close()"', "entry 'myapp.connect' must name a release"),
        ('plugin-fixtures = ["mocker"]', "key 'plugin-fixtures' must be a table"),
        ('[tool.fixlint.plugin-fixtures]\nlive_db = "sesion"', "entry 'live_db' must be one of function, class"),
    ],
)
def test_bad_config_names_the_key_and_the_file(in_tmp: Path, config: str, message: str, capsys) -> None:
    _project(in_tmp, config)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert str(in_tmp / "pyproject.toml") in err


def test_explicit_config_file(in_tmp: Path) -> None:
    _project(in_tmp, "")
    (in_tmp / "other.toml").write_text('[tool.fixlint]\nignore = ["FXL201"]\n')
    assert main(["check", "--config", "other.toml"]) == 0
    assert main(["check", "--config", "missing.toml"]) == 2


def test_extra_fixture_decorators(in_tmp: Path) -> None:
    _project(in_tmp, 'fixture-decorators = ["myproject.testing.resource"]')
    (in_tmp / "tests" / "conftest.py").write_text(
        LEAKY.replace("import pytest", "from myproject.testing import resource").replace("@pytest.fixture", "@resource")
    )
    assert main(["check"]) == 1
    (in_tmp / "pyproject.toml").write_text("[tool.fixlint]\n")
    assert main(["check"]) == 0


def test_own_resources_extend_fxl301s_table(in_tmp: Path, capsys) -> None:
    _project(in_tmp, '[tool.fixlint.resources]\n"myapp.db.connect" = "close"\n"myapp.grid.start" = ["stop"]')
    (in_tmp / "tests" / "conftest.py").write_text(
        "import pytest\nfrom myapp import db\nfrom myapp.grid import start as start_grid\n\n\n"
        "@pytest.fixture\ndef conn():\n    handle = db.connect('test')\n    return handle\n\n\n"
        "@pytest.fixture\ndef grid():\n    node = start_grid(3)\n    yield node\n    node.stop()\n"
    )
    assert main(["check", "--select", "FXL301"]) == 1
    out = capsys.readouterr().out
    assert "conftest.py:8:14: FXL301 `conn` creates `handle` with `db.connect('test')`" in out
    assert "grid" not in out  # released by the method the config names
    (in_tmp / "pyproject.toml").write_text("[tool.fixlint]\n")
    assert main(["check", "--select", "FXL301"]) == 0


def test_plugin_fixtures_give_names_and_scopes_to_fixtures_fixlint_cannot_read(in_tmp: Path, capsys) -> None:
    _project(in_tmp, '[tool.fixlint.plugin-fixtures]\nlive_db = "function"')
    (in_tmp / "tests" / "test_db.py").write_text(
        "import pytest\n\n\n@pytest.fixture(scope='module')\ndef schema(live_db):\n    return live_db\n"
    )
    assert main(["check", "--select", "FXL401"]) == 1
    assert "`live_db` but that is function-scoped (from plugin-fixtures)" in capsys.readouterr().out
    (in_tmp / "pyproject.toml").write_text("[tool.fixlint]\n")
    assert main(["check", "--select", "FXL401"]) == 0


def test_gitignored_and_default_excluded_paths_are_skipped(in_tmp: Path) -> None:
    _project(in_tmp, "")
    (in_tmp / ".gitignore").write_text("tests/conftest.py\n")
    for excluded in (".venv", "build", "node_modules"):
        (in_tmp / excluded).mkdir()
        (in_tmp / excluded / "conftest.py").write_text(LEAKY)
    assert main(["check"]) == 0
    # A file named on the command line is checked anyway, unless --force-exclude (pre-commit).
    assert main(["check", "tests/conftest.py"]) == 1
    assert main(["check", "--force-exclude", "tests/conftest.py"]) == 0


def test_a_gitignore_line_git_cannot_read_is_skipped_like_git_does(in_tmp: Path) -> None:
    _project(in_tmp, "")
    (in_tmp / ".gitignore").write_text("!\ntests/conftest.py\n")
    assert main(["check"]) == 0


def test_codes_in_the_config_are_case_insensitive(in_tmp: Path) -> None:
    _project(in_tmp, '[tool.fixlint.per-file-ignores]\n"tests/*.py" = ["fxl201"]')
    assert main(["check"]) == 0
