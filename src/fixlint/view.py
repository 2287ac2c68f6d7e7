"""Fixture resolution as pytest does it, seen from one checked file.

Nearest first: the class (its own fixtures, then same-module base classes, then enclosing
classes), the module, the conftest.py chain, the plugins, pytest's built-ins (project.py).
A resolution is *certain* only when no level before the answer may hold names we cannot
read; rules report only on certain answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import libcst as cst

from fixlint.cst_util import dotted_name
from fixlint.model import Fixture
from fixlint.project import Level, MaybeFixture, ProjectIndex, level_of
from fixlint.summary import FixtureDef, ModuleSummary, def_lines, fixture_def

if TYPE_CHECKING:
    from fixlint.slicing import Dropped


@dataclass(frozen=True)
class Resolution:
    """What a requested name resolves to: the definitions at the nearest level holding it
    (several when a module defines it conditionally), or none."""

    definitions: tuple[FixtureDef | MaybeFixture, ...]
    level: Level | None
    certain: bool  # False when a level before the answer may define names we cannot see

    @property
    def fixtures(self) -> tuple[FixtureDef, ...] | None:
        """The definitions when all are readable fixtures (no ``MaybeFixture``), else None."""
        if not self.certain or not self.definitions:
            return None
        if not all(isinstance(d, FixtureDef) for d in self.definitions):
            return None
        return self.definitions  # type: ignore[return-value]


@dataclass
class FileView:
    """The levels a checked file's tests and fixtures see; see the module docstring."""

    path: Path
    summary: ModuleSummary
    module: Level
    outer: tuple[Level, ...]
    classes: dict[str, cst.ClassDef]
    project: ProjectIndex
    own: dict[int, FixtureDef] = field(default_factory=dict)  # id(model fixture) -> its definition
    duplicated: frozenset[str] = frozenset()  # class names defined twice: their levels are unsure
    left_out: tuple[tuple[str, str], ...] = ()  # (class, method): decorated tests a slice left out
    _class_levels: dict[str, tuple[Level, ...]] = field(default_factory=dict)

    def project_label(self, origin: str) -> str:
        return self.project.label(origin)

    def definition(self, fixture: Fixture) -> FixtureDef:
        """The plain definition of one of this file's fixtures (as other levels hold them)."""
        return self.own[id(fixture.function)]

    def levels(self, class_name: str | None = None) -> tuple[Level, ...]:
        """Levels seen from module level, or from inside class ``class_name``, nearest first."""
        return (*self.class_levels(class_name), self.module, *self.outer)

    def class_levels(self, class_name: str | None) -> tuple[Level, ...]:
        if class_name is None:
            return ()
        if class_name not in self._class_levels:
            self._class_levels[class_name] = self._build_class_levels(class_name, set())
        return self._class_levels[class_name]

    def resolve(self, name: str, class_name: str | None = None, after: FixtureDef | None = None) -> Resolution:
        """Resolve ``name`` as a test in ``class_name`` (or at module level) would; with ``after``,
        start beyond the level defining it: an override requesting its own name gets the next one."""
        levels = self.levels(class_name)
        if after is not None:
            for position, level in enumerate(levels):
                if after in level.definitions.get(after.name, ()):
                    levels = levels[position + 1 :]
                    break
        certain = True
        for level in levels:
            found = level.definitions.get(name)
            if found:
                refined = tuple(self.project.refine(d) if isinstance(d, MaybeFixture) else d for d in found)
                return Resolution(refined, level, certain)
            if level.open:
                certain = False
        return Resolution((), None, certain)

    def visible(self, class_name: str | None = None) -> dict[str, FixtureDef | MaybeFixture]:
        """Every name visible from there, with its nearest definition (first one)."""
        names: dict[str, FixtureDef | MaybeFixture] = {}
        for level in self.levels(class_name):
            for name, found in level.definitions.items():
                names.setdefault(name, found[0])
        return names

    def _build_class_levels(self, class_name: str, seen: set[str]) -> tuple[Level, ...]:
        node = self.classes.get(class_name)
        if node is None or class_name in seen:
            return (level_of(f"class {class_name}", (), True),)
        seen = seen | {class_name}
        own = [d for d in self.own.values() if d.class_name == class_name]
        taken = {d.name for d in own} | {d.function for d in own}
        attributes = [*_class_attributes(node), *(name for owner, name in self.left_out if owner == class_name)]
        maybe = [MaybeFixture(name, f"class {class_name}") for name in attributes if name not in taken]
        levels = [level_of(f"class {class_name}", [*own, *maybe], class_name in self.duplicated)]
        for base in node.bases:
            written = dotted_name(base.value)
            if written == "object" and base.keyword is None:
                continue
            if written is None or written not in self.classes or base.keyword is not None:
                levels.append(level_of(f"base class {written or '?'}", (), True))
            else:
                levels.extend(self._build_class_levels(written, seen))
        outer = self._outer_class(class_name)
        if outer is not None:
            levels.extend(self._build_class_levels(outer, seen))
        return tuple(levels)

    def _outer_class(self, class_name: str) -> str | None:
        inner = self.classes[class_name]
        for name, node in self.classes.items():
            if isinstance(node.body, cst.IndentedBlock) and any(stmt is inner for stmt in node.body.body):
                return name
        return None


def build_view(
    path: str, summary: ModuleSummary, module: cst.Module, fixtures: list[Fixture], source: bytes,
    project: ProjectIndex, dropped: Iterable[Dropped] = (),
) -> FileView:
    """The view of one parsed file: its own levels from the model, the rest from the index
    (and the decorated test methods a slice left out, which may hold fixtures)."""
    where = Path(path).absolute()
    lines = def_lines(source)
    own = {id(fixture.function): fixture_def(fixture, str(where), lines) for fixture in fixtures}
    base = project.module_level(where, summary, "this module")
    classes, duplicated = _classes(module)
    outer = project.outer_levels(where, summary.plugins)
    decorated = tuple((test.class_name, test.name) for test in dropped if test.class_name and test.decorators)
    return FileView(where, summary, base, outer, classes, project, own, frozenset(duplicated), decorated)


def _classes(module: cst.Module) -> tuple[dict[str, cst.ClassDef], set[str]]:
    """Every class of the module by name (nested ones too); names used twice are ambiguous."""
    found: dict[str, cst.ClassDef] = {}
    duplicated: set[str] = set()
    pending: list[cst.CSTNode] = list(module.body)
    while pending:
        stmt = pending.pop()
        if isinstance(stmt, cst.ClassDef):
            if stmt.name.value in found:
                duplicated.add(stmt.name.value)
            found[stmt.name.value] = stmt
        if isinstance(stmt, (cst.ClassDef, cst.If, cst.Try, cst.With)) and isinstance(stmt.body, cst.IndentedBlock):
            pending.extend(stmt.body.body)
    return found, duplicated


def _class_attributes(node: cst.ClassDef) -> list[str]:
    """Class attributes assigned in the body: any of them may hold a fixture object."""
    names: list[str] = []
    if not isinstance(node.body, cst.IndentedBlock):
        return names
    for stmt in node.body.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign):
                    names.extend(n for t in small.targets if (n := dotted_name(t.target)) and "." not in n)
        elif isinstance(stmt, cst.FunctionDef) and stmt.decorators:
            names.append(stmt.name.value)
    return names
