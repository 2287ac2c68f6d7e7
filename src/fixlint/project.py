"""The project index: the fixtures a file can see without defining them itself.

pytest resolves a requested name by looking, nearest first, in the test's class, its module,
the conftest.py files of its directory and every directory above it (up to the rootdir),
the plugins (``pytest_plugins`` modules, installed pytest11 plugins) and pytest's built-ins.
This module finds and reads the files beyond the checked one: the conftest.py chain, plugin
modules, and modules fixtures are imported from. Each is read once per process (memoised),
and its summary is kept on disk keyed by content (``SummaryCache``), so a second run parses
no unchanged conftest.py. The checked file's own levels (module, classes) are added by
``view.py``, from the model the engine has already built.
"""

from __future__ import annotations

import configparser
import functools
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from fixlint import known_fixtures
from fixlint.cache import SummaryCache
from fixlint.summary import EMPTY_SUMMARY, FixtureDef, ModuleSummary, read_summary

# Files that make a directory pytest's rootdir (when they hold pytest configuration).
_INI_FILES = (("pytest.ini", None), (".pytest.ini", None), ("pyproject.toml", "[tool.pytest"),
              ("tox.ini", "[pytest]"), ("setup.cfg", "[tool:pytest]"))
_STAR_DEPTH = 4  # how far ``from x import *`` chains are followed
T = TypeVar("T")
Note = Callable[[str], None]  # told each path an answer depends on (see ``ProjectIndex.reading``)


@dataclass(frozen=True)
class MaybeFixture:
    """A name that may hold a fixture we cannot read (imported from outside the project,
    assigned at module level): it shadows what lies beyond it, with an unknown scope."""

    name: str
    origin: str
    importer: str | None = None  # for ``from module import original``: the importing file...
    module: str | None = None
    original: str | None = None


@dataclass(frozen=True)
class Level:
    """One place pytest looks for a name; ``open`` when it may define names nobody can read
    (a star import from outside the project, ``pytest_plugins`` computed at run time...)."""

    label: str
    definitions: Mapping[str, tuple[FixtureDef | MaybeFixture, ...]]
    open: bool = False


def level_of(label: str, definitions: Iterable[FixtureDef | MaybeFixture], open_: bool = False) -> Level:
    table: dict[str, list[FixtureDef | MaybeFixture]] = {}
    for definition in definitions:
        table.setdefault(definition.name, []).append(definition)
    return Level(label, {name: tuple(found) for name, found in table.items()}, open_)


@dataclass
class ProjectIndex:
    """Summaries of the files around the checked ones, memoised; see the module docstring.

    ``summaries`` may be seeded (worker processes get the main process's), ``cache`` is the
    on-disk store, ``plugin_fixtures`` the user's ``[tool.fixlint] plugin-fixtures`` table and
    ``installed_plugins`` the pytest11 entry points to read (None: those of this environment)."""

    extra_decorators: tuple[str, ...] = ()
    plugin_fixtures: tuple[tuple[str, str], ...] = ()
    installed_plugins: tuple[str, ...] | None = None
    cache: SummaryCache | None = None
    summaries: dict[str, ModuleSummary | None] = field(default_factory=dict)
    # answers worked out once (rootdirs, module files, levels), each with what it read
    _memos: dict[tuple[object, ...], tuple[Any, frozenset[str]]] = field(default_factory=dict)
    _reads: list[set[str]] = field(default_factory=list)

    # -- what a check read (the results cache keys a clean result by it) ------------------

    @contextmanager
    def reading(self) -> Iterator[set[str]]:
        """Collect what is read inside the block: every file whose content or absence the
        answers depend on (summaries used; conftest.py, configuration and module files looked
        for, found or not), ``?<path>`` for a path whose existence alone counts (``.git``) and
        ``glob:<folder><tab><pattern>`` for a listing. Memoised answers report what they were
        built from, so the set is the same whichever file asked first."""
        found: set[str] = set()
        self._reads.append(found)
        try:
            yield found
        finally:
            self._reads.pop()

    def _note(self, *reads: str) -> None:
        for found in self._reads:
            found.update(reads)

    def _memo(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()`` once per ``key``; later askers are told what it read, as if they
        had computed it themselves."""
        if key in self._memos:
            value, reads = self._memos[key]
            self._note(*reads)
            return value
        with self.reading() as found:
            value = compute()
        self._memos[key] = (value, frozenset(found))
        return value

    # -- files ---------------------------------------------------------------------------

    def summary(self, path: Path) -> ModuleSummary | None:
        """The summary of ``path`` (None when it cannot be read or parsed)."""
        key = str(path)
        self._note(key)
        if key not in self.summaries:
            self.summaries[key] = self._read(path)
        return self.summaries[key]

    def _read(self, path: Path) -> ModuleSummary | None:
        return read_summary(path, self.extra_decorators, self.cache)

    def root_of(self, directory: Path) -> Path:
        """pytest's rootdir for files in ``directory``: the nearest directory above holding
        pytest configuration, else the nearest with setup.py or .git, else the filesystem root."""
        return self._memo(("root", directory), lambda: _find_root(directory, self._note))

    def conftests(self, directory: Path) -> list[Path]:
        """conftest.py files in ``directory`` and above, up to the rootdir, nearest first."""
        root = self.root_of(directory)
        found: list[Path] = []
        for folder in (directory, *directory.parents):
            candidate = folder / "conftest.py"
            self._note(str(candidate))
            if candidate.is_file():
                found.append(candidate)
            if folder == root:
                break
        return found

    def resolve_module(self, module: str, importer: Path, *, installed: bool = False) -> Path | None:
        """The file a (possibly relative) module name means, seen from ``importer``: searched
        in the importer's package, the directories above it (and their ``src``), and, with
        ``installed``, ``sys.path``. Nothing is imported."""
        key = ("module", module, importer.parent, installed)
        return self._memo(key, lambda: self._find_module(module, importer, installed))

    def _find_module(self, module: str, importer: Path, installed: bool) -> Path | None:
        dots = len(module) - len(module.lstrip("."))
        parts = [part for part in module[dots:].split(".") if part]
        if dots:
            base = importer.parent
            for _ in range(dots - 1):
                base = base.parent
            return _module_file(base, parts, self._note)
        if not parts:
            return None
        bases = [base for folder in importer.parents for base in (folder, folder / "src")]
        if installed:
            bases += [Path(entry) for entry in sys.path if entry]
        for base in bases:  # folders above many importers: each (folder, module) is looked at once
            found = self._memo(("module-file", base, module), lambda base=base: _module_file(base, parts, self._note))
            if found is not None:
                return found
        return None

    # -- levels ----------------------------------------------------------------------------

    def outer_levels(self, path: Path, own_plugins: tuple[str, ...] = ()) -> tuple[Level, ...]:
        """What a file at ``path`` sees beyond itself, nearest first: its conftest.py chain,
        the plugins, pytest's built-ins. ``own_plugins``: the file's own ``pytest_plugins``."""
        is_conftest = path.name == "conftest.py"  # a conftest.py is not its own outer level
        key = ("outer", path.parent, own_plugins, is_conftest)
        return self._memo(key, lambda: self._outer_levels(path, own_plugins))

    def _outer_levels(self, path: Path, own_plugins: tuple[str, ...]) -> tuple[Level, ...]:
        directory = path.parent
        levels: list[Level] = []
        root = self.root_of(directory)
        own_entry_points, unknown_plugins = self._memo(("packaging", root), lambda: packaged_plugins(root, self._note))
        plugin_names = [*own_plugins, *ini_plugins(root), *own_entry_points]
        for conftest in self.conftests(directory):
            if conftest == path:
                continue  # a conftest.py's own fixtures are its module level
            summary = self.summary(conftest) or EMPTY_SUMMARY
            levels.append(self.module_level(conftest, summary, self._label(conftest)))
            plugin_names.extend(summary.plugins)
        # Plugin modules are looked for from this folder up, so the level is this folder's own.
        plugins = self._plugin_level(path, plugin_names)
        levels.append(replace(plugins, open=plugins.open or unknown_plugins))
        levels.append(_builtin_level())
        return tuple(levels)

    def module_level(self, path: Path, summary: ModuleSummary, label: str) -> Level:
        """A module's fixtures and the names that may hold one. Names it imports are looked up
        in their module only when requested (``refine``); star imports are followed now."""
        definitions: list[FixtureDef | MaybeFixture] = list(summary.fixtures)
        defined = {d.name for d in summary.fixtures}
        imported = {local: (item.module, original) for item in summary.imports for local, original in item.names}
        for name in sorted(summary.maybe - defined):
            module, original = imported.get(name, (None, None))
            definitions.append(MaybeFixture(name, label, str(path), module, original))
        starred, unknown = self._star_imported(path, summary, 0)
        definitions.extend(d for d in starred if d.name not in defined)
        return level_of(label, definitions, summary.dynamic or unknown)

    def refine(self, maybe: MaybeFixture) -> FixtureDef | MaybeFixture:
        """An imported name as the fixture it is, when its module is a file we can read."""
        if maybe.importer is None or maybe.module is None or maybe.original is None:
            return maybe
        found = self._imported_fixture(Path(maybe.importer), maybe.module, maybe.original, maybe.name)
        return found or maybe

    def _star_imported(
        self, path: Path, summary: ModuleSummary, depth: int
    ) -> tuple[list[FixtureDef | MaybeFixture], bool]:
        """Definitions ``from x import *`` brings; True when one brings names we cannot read."""
        found: list[FixtureDef | MaybeFixture] = []
        unknown = False
        for item in summary.imports:
            if not item.star:
                continue
            target = self.resolve_module(item.module, path)
            source = self.summary(target) if target is not None else None
            if target is None or source is None or depth >= _STAR_DEPTH:
                unknown |= _may_hold_fixtures(item.module)
                continue
            found.extend(source.fixtures)
            found.extend(MaybeFixture(name, item.module) for name in source.maybe)
            more, more_unknown = self._star_imported(target, source, depth + 1)
            found.extend(more)
            unknown |= more_unknown or source.dynamic
        return found, unknown

    def imported_functions(self, path: Path, summary: ModuleSummary) -> dict[str, FixtureDef]:
        """``from x import name``: local name -> the fixture it is, when x is a file we can read."""
        found: dict[str, FixtureDef] = {}
        for item in summary.imports:
            for local, original in item.names:
                definition = self._imported_fixture(path, item.module, original, local)
                if definition is not None:
                    found[local] = definition
        return found

    def _imported_fixture(self, importer: Path, module: str, original: str, local: str) -> FixtureDef | None:
        """pytest names an imported fixture after the attribute, unless ``name=`` was given."""
        target = self.resolve_module(module, importer)
        source = self.summary(target) if target is not None else None
        for definition in source.fixtures if source else ():
            if definition.function == original:
                renamed = definition.name == definition.function and local != definition.name
                return replace(definition, name=local) if renamed else definition
        return None

    def _plugin_level(self, path: Path, names: Iterable[str]) -> Level:
        """Fixtures of the plugins in ``pytest_plugins`` (followed recursively), the installed
        pytest11 plugins, the user's ``plugin-fixtures`` and the known plugins' tables."""
        definitions: list[FixtureDef | MaybeFixture] = []
        open_ = False
        seen: set[str] = set()
        pending = [(name, path) for name in names]
        installed = self.installed_plugins if self.installed_plugins is not None else _entry_point_modules()
        pending += [(name, path) for name in installed]
        while pending:
            name, importer = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in known_fixtures.PYTESTER_PLUGINS or name.startswith("_pytest."):
                continue  # pytest's own plugins: their fixtures are with the built-ins
            key = known_fixtures.plugin_key(name)
            if key is not None:
                seen.add(key)
                definitions.extend(_table_defs(known_fixtures.PLUGINS[key], key))
                continue
            target = self.resolve_module(name, importer, installed=True)
            summary = self.summary(target) if target is not None else None
            if summary is None:
                open_ = True  # a plugin we cannot read may define any name
                continue
            level = self.module_level(target, summary, name)  # type: ignore[arg-type]
            definitions.extend(d for found in level.definitions.values() for d in found)
            open_ |= level.open
            pending.extend((plugin, target) for plugin in summary.plugins)  # type: ignore[misc]
        definitions.extend(_table_defs(dict(self.plugin_fixtures), "plugin-fixtures"))
        for plugin in sorted(set(known_fixtures.DISTRIBUTIONS.values()) - seen):
            # Installed plugins load without a trace in the project: assume the common ones are.
            definitions.extend(_table_defs(known_fixtures.PLUGINS[plugin], plugin))
        return level_of("plugins", definitions, open_)

    def generated_names(self, path: Path) -> tuple[frozenset[str], bool]:
        """Names the ``pytest_generate_tests`` hooks of the conftest.py files above ``path``
        parametrize, and whether one of them may parametrize names nobody can read."""
        names: set[str] = set()
        dynamic = False
        for conftest in self.conftests(path.parent):
            summary = self.summary(conftest)
            if summary is None:
                dynamic = True
            elif summary.generated is not None:
                names.update(summary.generated)
                dynamic |= summary.generates_dynamically
        return frozenset(names), dynamic

    def _label(self, path: Path) -> str:
        root = self.root_of(path.parent)
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()

    def label(self, origin: str) -> str:
        """How a message names a definition's file: relative to the rootdir when it is a file."""
        path = Path(origin)
        return self._label(path) if path.is_absolute() else origin


@functools.cache
def _builtin_level() -> Level:
    return level_of("pytest", _table_defs({**known_fixtures.BUILTIN, **known_fixtures.PYTESTER}, "pytest"))


def _table_defs(table: Mapping[str, str], origin: str) -> list[FixtureDef]:
    return [
        FixtureDef(name=name, function=name, scope=scope if scope != "dynamic" else None, requests=(), origin=origin)
        for name, scope in table.items()
    ]


def _may_hold_fixtures(module: str) -> bool:
    """A star import from the standard library or a well-known non-plugin package brings no
    fixture; anything else might."""
    head = module.lstrip(".").split(".")[0]
    return head not in sys.stdlib_module_names and head not in {"numpy", "pandas", "typing_extensions"}


def _module_file(base: Path, parts: list[str], note: Note) -> Path | None:
    """``base/a/b.py`` or ``base/a/b/__init__.py`` for parts ``a, b``. (Strings, not paths:
    this runs for every folder above every importing file.)"""
    folder = os.path.join(base, *parts)
    package = os.path.join(folder, "__init__.py")
    candidates = (folder + ".py", package) if parts else (package,)
    for candidate in candidates:
        note(candidate)
        if os.path.isfile(candidate):
            return Path(candidate)
    return None


def _find_root(directory: Path, note: Note) -> Path:
    fallback: Path | None = None
    for folder in (directory, *directory.parents):
        for name, marker in _INI_FILES:
            candidate = folder / name
            note(str(candidate))
            if candidate.is_file() and (marker is None or _mentions(candidate, marker)):
                return folder
        if fallback is None:
            note(str(folder / "setup.py"))
            note(f"?{folder / '.git'}")
            if (folder / "setup.py").is_file() or (folder / ".git").exists():
                fallback = folder
    return fallback or Path(directory.anchor)


def _mentions(path: Path, marker: str) -> bool:
    return marker in _text(path)


@functools.cache
def _entry_point_modules() -> tuple[str, ...]:
    """The modules of the pytest11 plugins installed where fixlint runs (read, never imported)."""
    from importlib.metadata import entry_points

    return tuple(sorted({ep.value.split(":")[0] for ep in entry_points(group="pytest11")}))


def ini_plugins(root: Path) -> tuple[str, ...]:
    """Plugins that ``-p name`` in the rootdir's ``addopts`` turns on."""
    try:
        words = shlex.split(ini_value(root, "addopts") or "")
    except ValueError:
        return ()
    found: list[str] = []
    for i, word in enumerate(words):
        if word == "-p" and i + 1 < len(words):
            found.append(words[i + 1])
        elif word.startswith("-p") and len(word) > 2:
            found.append(word[2:])
    return tuple(value for value in found if not value.startswith("no:"))


_PLUGIN_MENTION = re.compile(r"\bpytest[-_][A-Za-z0-9][A-Za-z0-9_.-]*")
_NOT_PLUGINS = frozenset({"pytest-dev", "pytest_plugins", "pytest-of", "pytest_generate_tests", "pytest_configure",
                          "pytest_addoption", "pytest_collection_modifyitems", "pytest-cov", "pytest_cov"})
_ENTRY_POINT = re.compile(r"[\"']?[\w.-]+[\"']?\s*=\s*[\"']?([A-Za-z_][\w.]*)")


_REQUIREMENTS_GLOBS = ("requirements*.txt", "requirements/*.txt", "*requirements*/*.txt")


def packaged_plugins(root: Path, note: Note = lambda read: None) -> tuple[tuple[str, ...], bool]:
    """What the project's packaging says about plugins: the modules of its own pytest11 entry
    points (a plugin shipped with the project), and whether it depends on a pytest plugin
    fixlint knows nothing of and cannot find installed (then any name may come from it)."""
    own: list[str] = []
    texts: list[str] = []
    for name in ("pyproject.toml", "setup.cfg", "setup.py", "tox.ini"):
        note(str(root / name))
        text = _text(root / name)
        texts.append(text)
        if "pytest11" in text:  # [project.entry-points.pytest11], setup.cfg's or setup.py's
            section = text[text.index("pytest11") :]
            block = section[:400] if name == "setup.py" else section.split("\n[", 1)[0]
            own += _ENTRY_POINT.findall(block.split("\n", 1)[-1] if name != "setup.py" else block)
    for pattern in _REQUIREMENTS_GLOBS:
        note(f"glob:{root}\t{pattern}")
        for path in sorted(root.glob(pattern))[:20]:
            note(str(path))
            texts.append(_text(path))
    known = {name.replace("_", "-").lower() for name in known_fixtures.DISTRIBUTIONS}
    mentioned = {
        mention.lower().replace("_", "-").rstrip(".-")
        for text in texts
        for mention in _PLUGIN_MENTION.findall(text)
        if mention not in _NOT_PLUGINS and not mention.endswith(".py")  # a file name, not a distribution
    }
    unknown = bool(mentioned - known) and bool(  # reading what is installed costs; only when asked
        mentioned - known - {name.replace("_", "-").lower() for name, _ in installed_distributions()}
    )
    return tuple(dict.fromkeys(own)), unknown


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


@functools.cache
def installed_distributions() -> frozenset[tuple[str, str]]:
    """The distributions installed where fixlint runs: (name, version)."""
    from importlib.metadata import distributions

    return frozenset((dist.metadata["Name"] or "", dist.version) for dist in distributions())


def ini_value(root: Path, key: str) -> str | None:
    """An option of pytest's configuration file in ``root`` (the first that configures pytest),
    as text; None when not set."""
    for name, marker in _INI_FILES:
        path = root / name
        if path.is_file() and (marker is None or _mentions(path, marker)):
            return _read_ini_value(path, key)
    return None


def _read_ini_value(path: Path, key: str) -> str | None:
    try:
        if path.name == "pyproject.toml":
            if sys.version_info >= (3, 11):
                import tomllib
            else:  # pragma: no cover
                import tomli as tomllib
            options = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("pytest", {})
            options = options.get("ini_options", options)
            value = options.get(key)
            if value is None:
                return None
            return " ".join(map(str, value)) if isinstance(value, list) else str(value)
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(path, encoding="utf-8")
        section = "tool:pytest" if path.name == "setup.cfg" else "pytest"
        return parser.get(section, key, fallback=None)
    except (OSError, ValueError, configparser.Error):
        return None