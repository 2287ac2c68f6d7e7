"""``[tool.fixlint]`` in pyproject.toml, validated, merged with command-line flags.

An unknown key, a value of the wrong type or a code that matches no rule is an error
that names the key and the file, never silently ignored.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pathspec

from fixlint.known_fixtures import FIXTURE_SCOPES
from fixlint.registry import UnknownCode, matching_codes, select_codes

if TYPE_CHECKING:
    from fixlint.rules.base import Rule

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

# Directories nobody wants linted; ``exclude`` replaces this list, ``extend-exclude`` adds to it.
DEFAULT_EXCLUDE = (
    ".bzr", ".direnv", ".eggs", ".git", ".hg", ".mypy_cache", ".nox", ".pants.d", ".pytype",
    ".ruff_cache", ".svn", ".tox", ".venv", "__pypackages__", "_build", "buck-out", "build",
    "dist", "node_modules", "site-packages", "venv", ".fixlint_cache", ".pytest_cache",
)

LIST_KEYS = ("select", "ignore", "extend-select", "exclude", "extend-exclude", "fixture-decorators")
CODE_KEYS = ("select", "ignore", "extend-select")
KNOWN_KEYS = (*LIST_KEYS, "per-file-ignores", "resources", "plugin-fixtures")


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


@dataclass(frozen=True)
class Settings:
    root: Path  # paths in ``exclude`` and ``per-file-ignores`` are relative to this directory
    config_path: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    fixture_decorators: tuple[str, ...] = ()
    # FXL301's own resources: ``"myapp.db.connect" = "close"`` (a method, or a function given it)
    resources: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Fixtures of plugins fixlint cannot read, by name: ``mocker = "function"``
    plugin_fixtures: tuple[tuple[str, str], ...] = ()

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """The selected rules' codes, in code order."""
        return select_codes(self.select, self.extend_select, self.ignore)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The selected rules (this imports every rule module: ``codes`` does not)."""
        from fixlint.rules import BY_CODE

        return tuple(BY_CODE[code] for code in self.codes)

    @cached_property
    def exclude_spec(self) -> pathspec.PathSpec:
        return pathspec.GitIgnoreSpec.from_lines([*self.exclude, *self.extend_exclude])

    @cached_property
    def _per_file(self) -> list[tuple[pathspec.PathSpec, tuple[str, ...]]]:
        return [(pathspec.GitIgnoreSpec.from_lines([pattern]), codes) for pattern, codes in self.per_file_ignores]

    def relative(self, path: Path, base: Path | None = None) -> str:
        """``path`` as the patterns see it: relative to ``base`` (the root by default), with
        forward slashes."""
        absolute = path.absolute()
        try:
            return absolute.relative_to((base or self.root).absolute()).as_posix()
        except ValueError:
            return absolute.as_posix().lstrip("/")

    def is_excluded(self, path: Path, *, is_dir: bool = False, base: Path | None = None) -> bool:
        """Does an exclude pattern match ``path`` (seen from ``base``, the root by default)?"""
        return self.exclude_spec.match_file(self.relative(path, base) + ("/" if is_dir else ""))

    def codes_for(self, path: Path) -> tuple[str, ...]:
        """The selected rules' codes minus those ``per-file-ignores`` turns off for ``path``."""
        if not self._per_file:
            return self.codes
        relative = self.relative(path)
        ignored = tuple(code for spec, codes in self._per_file if spec.match_file(relative) for code in codes)
        if not ignored:
            return self.codes
        return tuple(code for code in self.codes if not code.startswith(ignored))

    def with_overrides(
        self,
        select: list[str] | None = None,
        extend_select: list[str] | None = None,
        ignore: list[str] | None = None,
    ) -> Settings:
        """Command-line flags: ``--select`` replaces, ``--extend-select``/``--ignore`` add."""
        for option, codes in (("--select", select), ("--extend-select", extend_select), ("--ignore", ignore)):
            _check_codes(codes or [], f"option {option}")
        return replace(
            self,
            select=_normal_codes(select) if select is not None else self.select,
            extend_select=self.extend_select + _normal_codes(extend_select or []),
            ignore=self.ignore + _normal_codes(ignore or []),
        )


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above ``start`` that has a ``[tool.fixlint]`` table."""
    directory = start.absolute()
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "fixlint" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def settings_for(paths: Sequence[str | Path], config_path: Path | None = None) -> Settings:
    """The settings a run over ``paths`` uses: from ``config_path``, else from the nearest
    ``[tool.fixlint]`` above the current directory, else above the first path (``-`` is none)."""
    if config_path is None:
        config_path = find_config(Path.cwd())
        real_paths = [Path(path) for path in paths if str(path) != "-"]
        if config_path is None and real_paths:
            config_path = find_config(real_paths[0])
    return load_settings(config_path)


def load_settings(config_path: Path | None, *, cwd: Path | None = None) -> Settings:
    """Settings from ``config_path`` (its ``[tool.fixlint]`` table), or defaults rooted at ``cwd``."""
    if config_path is None:
        return Settings(root=(cwd or Path.cwd()).absolute())
    config_path = config_path.absolute()
    if not config_path.is_file():
        raise ConfigError(f"{config_path}: no such configuration file")
    table = _read_toml(config_path).get("tool", {}).get("fixlint", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{config_path}: [tool.fixlint] must be a table")
    where = f"{config_path}: [tool.fixlint]"
    for key in table:
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{where} has an unknown key '{key}'{hint}")
    values: dict[str, Any] = {}
    for key in LIST_KEYS:
        if key in table:
            values[key] = _string_list(table[key], f"{where} key '{key}'")
    for key in CODE_KEYS:
        _check_codes(values.get(key, []), f"{where} key '{key}'")
    per_file: list[tuple[str, tuple[str, ...]]] = []
    raw = table.get("per-file-ignores", {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} key 'per-file-ignores' must be a table of pattern = [codes]")
    for pattern, codes in raw.items():
        codes = _string_list(codes, f"{where} key 'per-file-ignores' entry '{pattern}'")
        _check_codes(codes, f"{where} key 'per-file-ignores' entry '{pattern}'")
        per_file.append((pattern, _normal_codes(codes)))
    resources: list[tuple[str, tuple[str, ...]]] = []
    raw = table.get("resources", {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} key 'resources' must be a table of \"module.acquire\" = \"release\"")
    for acquire, release in raw.items():
        entry = f"{where} key 'resources' entry '{acquire}'"
        releases = [release] if isinstance(release, str) else _string_list(release, entry)
        if not releases or not all(name.replace(".", "").replace("_", "").isalnum() for name in releases):
            raise ConfigError(f"{entry} must name a release method (\"close\") or function (\"shutil.rmtree\")")
        resources.append((acquire, tuple(releases)))
    plugin_fixtures: list[tuple[str, str]] = []
    raw = table.get("plugin-fixtures", {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} key 'plugin-fixtures' must be a table of fixture name = \"scope\"")
    for name, scope in raw.items():
        if scope not in FIXTURE_SCOPES:
            raise ConfigError(
                f"{where} key 'plugin-fixtures' entry '{name}' must be one of {', '.join(FIXTURE_SCOPES)} (got {scope!r})"
            )
        plugin_fixtures.append((name, scope))
    return Settings(
        root=config_path.parent,
        config_path=config_path,
        select=_normal_codes(values["select"]) if "select" in values else None,
        extend_select=_normal_codes(values.get("extend-select", [])),
        ignore=_normal_codes(values.get("ignore", [])),
        per_file_ignores=tuple(per_file),
        exclude=tuple(values["exclude"]) if "exclude" in values else DEFAULT_EXCLUDE,
        extend_exclude=tuple(values.get("extend-exclude", ())),
        fixture_decorators=tuple(values.get("fixture-decorators", ())),
        resources=tuple(resources),
        plugin_fixtures=tuple(plugin_fixtures),
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None


def _string_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be a list of strings")
    return value


def _normal_codes(codes: list[str]) -> tuple[str, ...]:
    """Codes are matched case-insensitively, like noqa comments: ``fxl201`` is FXL201."""
    return tuple(code.strip().upper() for code in codes)


def _check_codes(codes: list[str], where: str) -> None:
    for code in codes:
        try:
            matching_codes(code)
        except UnknownCode:
            raise ConfigError(f"{where}: '{code}' matches no fixlint rule") from None
