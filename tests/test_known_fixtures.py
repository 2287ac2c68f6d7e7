"""The table of fixtures that need no definition agrees with pytest's own fixture registry.

Each comparison runs `pytest --fixtures -v` in a subprocess on an empty project, with plugin
autoloading off, and parses its listing: one line per fixture, `name -- path:line` for function
scope and `name [<scope> scope] -- path:line` otherwise, the docstring indented below it.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from fixlint.known_fixtures import (
    BUILTIN,
    DISTRIBUTIONS,
    ENTRY_POINTS,
    PLUGINS,
    PYTESTER,
    VERSIONS,
    known_scope,
)

SCOPES = {"function", "class", "module", "package", "session", "dynamic"}
LISTING = re.compile(r"^(?P<name>[A-Za-z_]\w*)(?: \[(?P<scope>\w+) scope\])? -- (?P<path>\S.*)$")

# Plugins that need another plugin loaded first.
NEEDS = {"pytest_aiohttp.plugin": ("pytest_asyncio.plugin",)}
# Names a plugin makes requestable by parametrizing them directly: no fixture function to list.
PARAMETRIZED = {"aiohttp.pytest_plugin": {"loop_factory"}}


def _normalize(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def _env() -> dict[str, str]:
    """This environment without plugin autoloading or options injected through variables."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS")}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return env


def listing(project: Path, *plugins: str) -> tuple[int, str, list[tuple[str, str, str]]]:
    """Exit code, output, and (name, scope, location) for every fixture `pytest --fixtures -v`
    lists in `project` with `plugins` loaded."""
    args = [arg for plugin in plugins for arg in ("-p", plugin)]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--fixtures", "-v", "--color=no", *args],
        cwd=project,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = []
    for line in proc.stdout.splitlines():
        match = LISTING.match(line)
        if match:
            found.append((match["name"], match["scope"] or "function", match["path"]))
    return proc.returncode, proc.stdout + proc.stderr, found


def registry(project: Path, *plugins: str) -> list[tuple[str, str, str]]:
    code, output, found = listing(project, *plugins)
    assert code == 0, output
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("empty")
    # An ini file of its own keeps any configuration or conftest.py further up out of the run.
    (root / "pytest.ini").write_text("[pytest]\n")
    return root


@pytest.fixture(scope="module")
def core(project: Path) -> list[tuple[str, str, str]]:
    return registry(project)


def test_the_listing_format_is_understood(core: list[tuple[str, str, str]]) -> None:
    listed = {name: scope for name, scope, _ in core}
    assert listed.get("tmp_path") == "function"
    assert listed.get("tmp_path_factory") == "session"


def test_builtin_matches_pytest(core: list[tuple[str, str, str]]) -> None:
    listed = {name: scope for name, scope, _ in core}
    assert len(listed) == len(core), "a name is listed twice"
    assert all("/_pytest/" in path for _, _, path in core), core
    table = {name: scope for name, scope in BUILTIN.items() if name != "request"}
    assert table == listed


def test_pytester_matches_pytest(project: Path, core: list[tuple[str, str, str]]) -> None:
    added = [entry for entry in registry(project, "pytester") if entry not in core]
    listed = {name: scope for name, scope, _ in added}
    assert len(listed) == len(added)
    assert dict(PYTESTER) == listed


def test_request_takes_the_requesters_scope(tmp_path: Path) -> None:
    # Why BUILTIN says "dynamic" for `request`: a session fixture may request it (no
    # ScopeMismatch) and gets a request of its own scope.
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_request.py").write_text(
        "import pytest\n"
        "@pytest.fixture(scope='session')\n"
        "def wide(request):\n"
        "    return request.scope\n"
        "@pytest.fixture\n"
        "def narrow(request):\n"
        "    return request.scope\n"
        "def test_scopes(wide, narrow):\n"
        "    assert (wide, narrow) == ('session', 'function')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert BUILTIN["request"] == "dynamic"


def _installed_as_read(module: str, providers: Mapping[str, list[str]]) -> bool:
    """Whether the distribution providing `module` is installed at the version the table was
    read from."""
    return any(
        VERSIONS.get(_normalize(distribution)) == importlib.metadata.version(distribution)
        for distribution in providers.get(module.split(".")[0], [])
    )


def test_installed_plugins_match_pytest(project: Path, core: list[tuple[str, str, str]]) -> None:
    """For every plugin installed here at the version the table was read from."""
    providers = importlib.metadata.packages_distributions()
    checked, unloadable, wrong = [], [], {}
    for module, fixtures in PLUGINS.items():
        if not _installed_as_read(module, providers):
            continue
        needs = NEEDS.get(module, ())
        before = registry(project, *needs) if needs else core
        code, output, after = listing(project, *needs, module)
        if code != 0:  # e.g. pytest-qt without a Qt binding
            unloadable.append(f"{module}: {output.strip().splitlines()[:1]}")
            continue
        listed = {name: scope for name, scope, path in after if (name, scope, path) not in before}
        expected = {name: scope for name, scope in fixtures.items() if name not in PARAMETRIZED.get(module, ())}
        if module == "pytest_randomly" and importlib.util.find_spec("faker") is None:
            expected.pop("faker_seed")
        # "dynamic" is decided at run time; the listing shows the declared scope.
        differ = {n for n in expected.keys() & listed.keys() if expected[n] not in ("dynamic", listed[n])}
        if expected.keys() != listed.keys() or differ:
            wrong[module] = (expected, listed)
        checked.append(module)
    if not checked:
        pytest.skip(f"no plugin installed at the version the table was read from loads here {unloadable}")
    assert not wrong


def test_scopes_are_known_words() -> None:
    tables = [BUILTIN, PYTESTER, *PLUGINS.values()]
    assert {scope for table in tables for scope in table.values()} <= SCOPES


def test_plugins_do_not_shadow_pytest() -> None:
    for module, fixtures in PLUGINS.items():
        assert not set(fixtures) & (set(BUILTIN) | set(PYTESTER)), module


def test_lookup_tables_point_into_plugins() -> None:
    assert set(DISTRIBUTIONS.values()) <= set(PLUGINS)
    assert set(ENTRY_POINTS.values()) <= set(PLUGINS)
    assert set(PLUGINS) <= set(DISTRIBUTIONS.values()) | set(ENTRY_POINTS.values()) | {"aiohttp.pytest_plugin"}
    assert all(name == _normalize(name) for name in DISTRIBUTIONS)
    assert set(DISTRIBUTIONS) <= set(VERSIONS)


def test_known_scope() -> None:
    assert known_scope("tmp_path") == "function"
    assert known_scope("pytestconfig") == "session"
    assert known_scope("request") == "dynamic"
    assert known_scope("pytester") == "function"
    assert known_scope("session_mocker") == "session"
    assert known_scope("_asyncio_loop_factory") == "dynamic"
    assert known_scope("no_such_fixture") is None


def test_known_scope_limited_to_plugins() -> None:
    assert known_scope("mocker", plugins=["pytest_mock"]) == "function"
    assert known_scope("mocker", plugins=["pytest-mock"]) == "function"  # distribution name
    assert known_scope("worker_id", plugins=["xdist"]) == "session"  # entry point name
    assert known_scope("mocker", plugins=["pytest_django.plugin"]) is None
    assert known_scope("pytester", plugins=[]) is None
    assert known_scope("testdir", plugins=["pytester"]) == "function"
    assert known_scope("tmp_path", plugins=[]) == "function"


def test_known_scope_is_none_when_plugins_disagree(monkeypatch: pytest.MonkeyPatch) -> None:
    from fixlint import known_fixtures

    plugins = {**PLUGINS, "a": {"shared": "session"}, "b": {"shared": "function"}}
    monkeypatch.setattr(known_fixtures, "PLUGINS", plugins)
    assert known_fixtures.known_scope("shared") is None
    assert known_fixtures.known_scope("shared", plugins=["a"]) == "session"
    # Same name, same scope in two plugins: no ambiguity.
    assert known_fixtures.known_scope("freezer") == "function"
