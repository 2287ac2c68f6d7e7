"""What one file offers the rest of the project: its fixtures, and where more may come from.

A summary is small, plain and picklable: it is what the project index keeps for every
conftest.py, plugin module and fixture module it reads, what the disk cache stores, and
what crosses process boundaries. It is made from the same fixture model the rules read
(model.py), so a fixture is recognised the same way everywhere.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import libcst as cst

from fixlint.cst_util import dotted_name, module_statements, walk
from fixlint.imports import ImportTable, build_import_table
from fixlint.known_fixtures import FIXTURE_SCOPES
from fixlint.model import Fixture, build_fixtures, decorator_last_names, prefilter_terms, slice_holds
from fixlint.parser import parse_module
from fixlint.slicing import slice_tests

if TYPE_CHECKING:
    from fixlint.cache import SummaryCache
    from fixlint.slicing import Dropped



@dataclass(frozen=True)
class FixtureDef:
    """One fixture definition, wherever it lives (a project file, a plugin, pytest itself)."""

    name: str  # the name tests request
    function: str  # the function's own name (what a direct call uses)
    scope: str | None  # one of known_fixtures.FIXTURE_SCOPES; None when not a literal (dynamic or computed)
    requests: tuple[str, ...]  # parameters, then ``request.getfixturevalue("literal")`` names
    origin: str  # a file path, or "pytest" / a plugin module for definitions outside the project
    line: int = 0  # 1-based line of the ``def`` in ``origin``; 0 outside the project
    class_name: str | None = None  # the class a fixture method belongs to ("Outer.Inner")
    autouse: bool = False


@dataclass(frozen=True)
class FromImport:
    """``from <module> import <names>``: names may be fixtures defined in that module."""

    module: str  # as written, with its leading dots (".fixtures", "tests.helpers")
    names: tuple[tuple[str, str], ...]  # (local name, name in the module); empty for ``import *``

    @property
    def star(self) -> bool:
        return not self.names


@dataclass(frozen=True)
class ModuleSummary:
    path: str
    fixtures: tuple[FixtureDef, ...]  # module-level fixtures (class fixtures are not visible elsewhere)
    maybe: frozenset[str]  # other module-level names that may hold a fixture (assigned, imported...)
    imports: tuple[FromImport, ...]
    plugins: tuple[str, ...]  # ``pytest_plugins`` entries
    dynamic: bool  # names may appear that no reading can see: computed pytest_plugins, globals()...
    generated: tuple[str, ...] | None  # names ``pytest_generate_tests`` parametrizes; None: no hook
    generates_dynamically: bool = False  # the hook parametrizes names we cannot read


EMPTY_SUMMARY = ModuleSummary("", (), frozenset(), (), (), False, None)
_DYNAMIC_TEXT = re.compile(rb"globals\(\)|__getattr__|sys\.modules\[__name__\]|setattr\(")
_STAR_IMPORT = re.compile(rb"^from\s+([.\w]+)\s+import\s+\*", re.MULTILINE)


def read_summary(path: Path, extra_decorators: tuple[str, ...], cache: SummaryCache | None) -> ModuleSummary | None:
    """The summary of a file on disk (None when it cannot be read or parsed), from the cache
    when its size and time, or its content, are unchanged."""
    try:
        stat = path.stat()
        if cache is not None:
            hit, summary = cache.get(path, stat)
            if hit:
                return summary
        source = path.read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(source).hexdigest()
    if cache is not None:
        hit, summary = cache.get(path, stat, digest)
        if hit:
            cache.put(path, stat, digest, summary)
            return summary
    summary = summary_of_source(str(path), source, extra_decorators)
    if cache is not None:
        cache.put(path, stat, digest, summary)
    return summary


def summary_of_source(
    path: str, source: bytes, extra_decorators: tuple[str, ...] = (), *, slicing: bool = True
) -> ModuleSummary | None:
    """The summary of a file's bytes (None when it does not parse). A test module another
    file imports fixtures from is parsed without its tests (slicing.py), as the engine does."""
    # A conftest.py is always read: every name it imports may be a fixture for the tests below.
    terms = (*prefilter_terms(extra_decorators), b"pytest_plugins", b"pytest_generate_tests")
    if Path(path).name != "conftest.py" and not any(term in source for term in terms):
        return summarize_unparsed(path, source)
    sliced = slice_tests(source, decorator_last_names(extra_decorators)) if slicing else None
    for attempt in (sliced, None) if sliced is not None else (None,):
        try:
            module = parse_module(source if attempt is None else attempt.source)
        except Exception:  # noqa: BLE001 - the file's own check reports FXL001; here it offers nothing
            continue
        imports = build_import_table(module)
        if attempt is not None and not slice_holds(module, imports, attempt, extra_decorators):
            continue
        fixtures = build_fixtures(module, imports, extra_decorators)
        return summarize(path, module, imports, fixtures, source, attempt.dropped if attempt is not None else ())
    return None


def summarize(
    path: str, module: cst.Module, imports: ImportTable, fixtures: list[Fixture], source: bytes,
    dropped: Iterable[Dropped] = (),
) -> ModuleSummary:
    """The summary of a parsed file, from its fixture model (and the decorated test functions
    a slice left out: like any decorated function, they may hold a fixture)."""
    lines = def_lines(source)
    defs = tuple(
        fixture_def(fixture, path, lines)
        for fixture in fixtures
        if fixture.class_name is None
    )
    fixture_functions = {id(fixture.function) for fixture in fixtures}
    maybe: set[str] = set()
    from_imports: list[FromImport] = []
    plugins: list[str] = []
    dynamic = bool(_DYNAMIC_TEXT.search(source))
    generated: tuple[str, ...] | None = None
    generates_dynamically = False
    for stmt in module_statements(module):
        if isinstance(stmt, cst.FunctionDef):
            if stmt.name.value == "pytest_generate_tests":
                generated, generates_dynamically = _generated_names(stmt)
            elif stmt.decorators and id(stmt) not in fixture_functions:
                maybe.add(stmt.name.value)  # an unknown decorator may return a fixture
            continue
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.ImportFrom) and small.module is not None or (
                isinstance(small, cst.ImportFrom) and small.relative
            ):
                from_imports.append(_from_import(small))
            elif isinstance(small, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
                targets = small.targets if isinstance(small, cst.Assign) else [small]
                for target in targets:
                    name = dotted_name(target.target)
                    if name == "pytest_plugins":
                        entries = _plugin_entries(small.value)
                        dynamic |= entries is None
                        plugins.extend(entries or ())
                    elif name is not None:
                        maybe.add(name)
    for item in from_imports:
        maybe.update(local for local, _ in item.names)
    maybe.update(test.name for test in dropped if test.class_name is None and test.decorators)
    maybe.difference_update(d.name for d in defs)
    return ModuleSummary(
        path=path,
        fixtures=defs,
        maybe=frozenset(maybe),
        imports=tuple(from_imports),
        plugins=tuple(plugins),
        dynamic=dynamic,
        generated=generated,
        generates_dynamically=generates_dynamically,
    )


def summarize_unparsed(path: str, source: bytes) -> ModuleSummary:
    """A module without the word "fixture" (nor pytest_plugins, pytest_generate_tests) defines no
    fixture itself, but may re-export some with ``from x import *``: a regular expression finds
    those without parsing."""
    stars = tuple(FromImport(match.group(1).decode(), ()) for match in _STAR_IMPORT.finditer(source))
    return ModuleSummary(path, (), frozenset(), stars, (), False, None)


def fixture_def(fixture: Fixture, path: str, lines: dict[str, list[int]] | None = None) -> FixtureDef:
    """A model fixture as a plain definition (the line found by the ``def`` text, without
    libcst's position metadata, which costs twice a parse)."""
    function = fixture.function.name.value
    found = (lines or {}).get(function, [])
    return FixtureDef(
        name=fixture.name,
        function=function,
        scope=fixture.scope if fixture.scope in FIXTURE_SCOPES else None,
        requests=tuple(name for name in requested_parameters(fixture.function) if name in fixture.parameters)
        + getfixturevalue_names(fixture.function),
        origin=path,
        line=found[0] if found else 0,
        class_name=fixture.class_name,
        autouse=fixture.autouse,
    )


def requested_parameters(function: cst.FunctionDef) -> tuple[str, ...]:
    """The parameters pytest fills with fixtures: those that can be passed by keyword and have
    no default (a method's first parameter included: callers drop it)."""
    params = function.params
    return tuple(p.name.value for p in (*params.params, *params.kwonly_params) if p.default is None)


def getfixturevalue_names(function: cst.FunctionDef) -> tuple[str, ...]:
    """Names requested with ``request.getfixturevalue("literal")`` in the fixture's own body."""
    return tuple(name for name, _ in getfixturevalue_calls(function))


def getfixturevalue_calls(function: cst.FunctionDef) -> list[tuple[str, cst.SimpleString]]:
    """Each ``request.getfixturevalue("literal")`` in the fixture's own body: the name, and the
    string node (where a rule reports)."""
    found: list[tuple[str, cst.SimpleString]] = []
    for node in walk(function.body):
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "getfixturevalue"
            and dotted_name(node.func.value) == "request"
            and len(node.args) == 1
        ):
            value = node.args[0].value
            if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
                found.append((value.evaluated_value, value))
    return found


_DEF = re.compile(rb"^[ \t\f\v]*(?:async[ \t\f\v]+)?def[ \t\f\v]+(\w+)", re.MULTILINE)
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


@functools.lru_cache(maxsize=4)
def def_lines(source: bytes) -> dict[str, list[int]]:
    """Function name -> the lines of its ``def``s, found in the text (no position metadata)."""
    lines: dict[str, list[int]] = {}
    if b"\r" in source:  # lines end in \r, \n or \r\n, as Python counts them
        starts = [0, *(match.end() for match in _LINE_BREAK.finditer(source))]
        for match in _DEF.finditer(source):
            lines.setdefault(match.group(1).decode(), []).append(bisect.bisect_right(starts, match.start()))
        return lines
    line, counted = 1, 0
    for match in _DEF.finditer(source):
        line += source.count(b"\n", counted, match.start())  # from the last def on, not the start
        counted = match.start()
        lines.setdefault(match.group(1).decode(), []).append(line)
    return lines


def _from_import(node: cst.ImportFrom) -> FromImport:
    module = "." * len(node.relative) + (dotted_name(node.module) or "" if node.module else "")
    if isinstance(node.names, cst.ImportStar):
        return FromImport(module, ())
    names: list[tuple[str, str]] = []
    for alias in node.names:
        original = dotted_name(alias.name) or ""
        local = original
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            local = alias.asname.name.value
        names.append((local, original))
    return FromImport(module, tuple(names))


def _plugin_entries(value: cst.BaseExpression | None) -> tuple[str, ...] | None:
    """``pytest_plugins = "a"`` / ``["a", "b"]`` / ``("a",)``; None when not literal."""
    return _strings(value)


def parametrized_names(call: cst.Call) -> tuple[str, ...] | None:
    """The argnames of ``parametrize("a, b", ...)`` / ``parametrize(["a", "b"], ...)``; None when
    they are not literal."""
    argnames = next((arg.value for arg in call.args if arg.keyword is None or arg.keyword.value == "argnames"), None)
    names = _strings(argnames)
    if names is None:
        return None
    if isinstance(argnames, cst.SimpleString):
        names = tuple(names[0].split(","))
    return tuple(name.strip() for name in names if name.strip())


def _strings(value: cst.BaseExpression | None) -> tuple[str, ...] | None:
    """A string literal, or a list/tuple of string literals; None for anything else."""
    if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
        return (value.evaluated_value,)
    if isinstance(value, (cst.List, cst.Tuple)):
        items = [element.value for element in value.elements]
        if all(isinstance(item, cst.SimpleString) and isinstance(item.evaluated_value, str) for item in items):
            return tuple(item.evaluated_value for item in items)  # type: ignore[union-attr]
    return None


def _generated_names(hook: cst.FunctionDef) -> tuple[tuple[str, ...], bool]:
    """Names ``metafunc.parametrize`` calls in the hook give literally, and whether the hook may
    parametrize others (non-literal argnames, or ``metafunc`` handed to a helper)."""
    names: list[str] = []
    dynamic = False
    params = [param.name.value for param in hook.params.params]
    metafunc = params[0] if params else "metafunc"
    for node in walk(hook.body, enter_scopes=True):
        if not isinstance(node, cst.Call):
            continue
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "parametrize":
            found = parametrized_names(node)
            if found is None:
                dynamic = True
            else:
                names.extend(found)
        elif any(isinstance(arg.value, cst.Name) and arg.value.value == metafunc for arg in node.args):
            dynamic = True
    return tuple(names), dynamic

