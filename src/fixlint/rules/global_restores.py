"""Reading one fixture for FXL303: its changes to global state, and which of them nothing undoes.

The check is deliberately generous about restoration: a later write to the same target, a saved
copy written back or handed to a teardown call, a teardown call named like an undo (``reset``,
``restore``, ``cleanup``...), a writer handed on as a callback (``stack.callback(os.chdir, old)``),
a ``with`` that saves that state, or a finalizer it cannot read all count as "restored", so only
changes that surely stay behind are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from fixlint.cst_util import (
    all_params,
    binds,
    children,
    dotted_name,
    names_used,
    root_name,
    simple_assignment,
    walk,
)
from fixlint.imports import ImportTable, build_import_table
from fixlint.model import Fixture, Located
from fixlint.ownership import aliases, handed_elsewhere
from fixlint.resources import name_parts
from fixlint.rules.global_writes import (
    ATTR,
    CWD,
    ENV,
    FAMILY_OF,
    MODULES,
    PATH,
    RELOADS,
    Resolver,
    Target,
    Write,
    writes_of,
)

_OBJECT_OF = {family: qualified for qualified, family in FAMILY_OF.items()}
_MONKEYPATCH_CLASSES = frozenset({"pytest.MonkeyPatch", "_pytest.monkeypatch.MonkeyPatch"})
# Methods of ``os.environ`` / ``sys.path`` / ``sys.modules`` that only read.
_READERS = frozenset({"get", "copy", "items", "keys", "values", "index", "count", "__getitem__",
                      "__contains__"})
# A teardown call with one of these words in its name may restore anything (``reset_settings()``).
_RESTORE_WORDS = frozenset({"restore", "reset", "revert", "undo", "rollback", "unpatch", "cleanup",
                           "teardown", "clear", "recover", "reload"})
# Words in a context manager's name that say it saves some state and puts it back on exit.
_FAMILY_WORDS = {
    ENV: frozenset({"env", "environ", "environment"}),
    CWD: frozenset({"cwd", "chdir", "dir"}),
    PATH: frozenset({"path", "syspath"}),
    MODULES: frozenset({"modules", "module", "imports"}),
}
_SAVING_WORDS = _RESTORE_WORDS | {"patch", "isolated", "isolate", "preserve", "preserved", "preserving",
                                 "saved", "snapshot", "override"}
# Calls that read the working directory (``os.getcwd()``, ``Path.cwd()``) or enter another one.
_CWD_CALLS = frozenset({"getcwd", "getcwdb", "cwd", "as_cwd", "chdir"})


@dataclass
class Scan:
    """Everything one walk over a fixture finds."""

    imports: ImportTable  # the file's, plus imports inside the fixture
    writes: list[Write] = field(default_factory=list)
    teardown_calls: list[cst.Call] = field(default_factory=list)
    patchers: list[Located] = field(default_factory=list)  # ``pytest.MonkeyPatch()`` calls
    saved: dict[str, set[str]] = field(default_factory=dict)  # family -> names holding a saved copy
    sources: dict[str, cst.CSTNode] = field(default_factory=dict)  # saved name -> what it was read from
    callbacks: set[str] = field(default_factory=set)  # families whose writer is handed on


# ------------------------------------------------------------------ reading the fixture


@dataclass(frozen=True)
class _Visit:
    """One node of a fixture body, where it sits, and what encloses it."""

    node: cst.CSTNode
    ancestors: tuple[cst.CSTNode, ...]  # the FunctionDef first
    nested: bool  # inside a nested def, lambda or class
    guarded: bool  # inside a ``finally`` or an ``except`` handler


def _walk(function: cst.FunctionDef) -> list[_Visit]:
    """Every node of the body in source order, nested scopes included (one pass, shared by all
    the questions the rule asks)."""
    found: list[_Visit] = []
    stack = [_Visit(function.body, (function,), False, False)]
    while stack:
        visit = stack.pop()
        found.append(visit)
        node = visit.node
        inner = visit.ancestors + (node,)
        nested = visit.nested or isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef))
        guarded = visit.guarded or isinstance(node, (cst.Finally, cst.ExceptHandler, cst.ExceptStarHandler))
        stack.extend(_Visit(child, inner, nested, guarded) for child in reversed(list(children(node))))
    return found


def _with_local_imports(visits: list[_Visit], imports: ImportTable) -> ImportTable:
    """The file's imports plus ``import os`` lines inside the fixture: they name modules too."""
    lines = [
        visit.node for visit in visits
        if not visit.nested and isinstance(visit.node, cst.SimpleStatementLine)
        and any(isinstance(small, (cst.Import, cst.ImportFrom)) for small in visit.node.body)
    ]
    if not lines:
        return imports
    local = build_import_table(cst.Module(body=lines))
    return ImportTable({**imports.names, **local.names}, imports.modules | local.modules)


def _local_names(function: cst.FunctionDef, visits: list[_Visit]) -> set[str]:
    """Names the fixture binds itself (parameters, ``self``, assignments); an ``import`` inside
    the fixture still names the global module, so it does not count."""
    own = [visit.node for visit in visits if not visit.nested]
    imported = {id(node.asname) for node in own if isinstance(node, cst.ImportAlias)}
    bound = {
        name
        for node in own
        if not isinstance(node, cst.ImportAlias) and id(node) not in imported
        for name in binds(node)
    }
    return bound | {param.name.value for param in all_params(function.params)}


def scan_fixture(fixture: Fixture, file_imports: ImportTable) -> Scan:
    """One walk over the fixture: its writes, where each sits, and what could undo them."""
    visits = _walk(fixture.function)
    scan = Scan(imports=_with_local_imports(visits, file_imports))
    resolver = Resolver(scan.imports, _local_names(fixture.function, visits))
    first_yield: int | None = None
    for order, visit in enumerate(visits):
        node, ancestors, nested = visit.node, visit.ancestors, visit.nested
        if isinstance(node, cst.Yield) and not nested and first_yield is None:
            first_yield = order
        teardown = nested or visit.guarded or (first_yield is not None and order > first_yield)
        located = Located(node, ancestors)
        for write in writes_of(node, ancestors, resolver):
            write.located, write.order, write.nested, write.teardown = located, order, nested, teardown
            scan.writes.append(write)
        if isinstance(node, cst.Call):
            for arg in node.args:
                scan.callbacks |= _callbacks(arg.value, resolver)
            if teardown:
                scan.teardown_calls.append(node)
            if not nested and resolver.qualified(node.func) in _MONKEYPATCH_CLASSES:
                scan.patchers.append(located)
        assignment = simple_assignment(node) if isinstance(node, cst.SimpleStatementLine) else None
        if assignment is not None:
            for family in _families_read(assignment[1], resolver):
                scan.saved.setdefault(family, set()).update(assignment[0])
                scan.sources.update(dict.fromkeys(assignment[0], assignment[1]))
    return scan


def _family_of(qualified: str) -> str | None:
    """``sys.path`` / ``sys.path.copy`` -> PATH; not ``sys.path_hooks``."""
    for name in ("sys.path", "sys.modules"):
        if qualified == name or qualified.startswith(name + "."):
            return FAMILY_OF[name]
    return None


def _families_read(node: cst.CSTNode, resolver: Resolver) -> set[str]:
    """Which state ``node`` reads, so a name assigned from it holds a saved copy:
    ``os.environ.copy()`` reads ENV, ``os.getcwd()`` CWD, ``settings.DEBUG`` "attr:settings"."""
    found: set[str] = set()
    for current in walk(node):
        if isinstance(current, (cst.Name, cst.Attribute)):
            qualified = resolver.qualified(current) or ""
            if qualified.startswith(("os.environ", "os.getenv")):
                found.add(ENV)
            elif (family := _family_of(qualified)) is not None:
                found.add(family)
            elif qualified:
                found.add(f"{ATTR}:{root_name(current)}")
        elif isinstance(current, cst.Call) and _last_part(current.func) in _CWD_CALLS:
            found.add(CWD)
    return found


def _saved_names(target: Target, scan: Scan, *, exact: bool = False) -> set[str]:
    """Names holding a saved copy of ``target``'s state. With ``exact``, a copy of one environment
    variable counts only for that variable: ``home = os.environ["HOME"]`` saves HOME, not TZ."""
    family = target.family if target.family != ATTR else f"{ATTR}:{target.root}"
    names = scan.saved.get(family, set())
    if exact and target.family == ENV and target.literal:
        names = {name for name in names if _literals(scan.sources[name]) <= {target.key}}
    return names


def _literals(node: cst.CSTNode) -> set[str]:
    """The value of every string literal in ``node`` (``walk`` skips literals as inert)."""
    stack: list[cst.CSTNode] = [node]
    found: set[str] = set()
    while stack:
        current = stack.pop()
        if isinstance(current, cst.SimpleString) and isinstance(current.evaluated_value, str):
            found.add(current.evaluated_value)
        stack.extend(children(current, skip=frozenset()))
    return found


def _callbacks(node: cst.CSTNode, resolver: Resolver) -> set[str]:
    """Families whose writing function is handed to a call, not called: ``stack.callback(os.chdir,
    old)``, ``atexit.register(sys.path.remove, entry)``, ``addCleanup(setattr, mod, "X", old)``.
    Whoever receives it will most likely write the old state back."""
    if isinstance(node, cst.Call):
        return set().union(*(_callbacks(arg.value, resolver) for arg in node.args))
    if isinstance(node, (cst.Name, cst.Attribute)):
        qualified = resolver.qualified(node) or ""
        owner, _, method = qualified.rpartition(".")
        if qualified in ("os.chdir", "os.fchdir"):
            return {CWD}
        if qualified in ("os.putenv", "os.unsetenv"):
            return {ENV}
        if owner in FAMILY_OF and method not in _READERS:
            return {FAMILY_OF[owner]}
        if qualified in RELOADS or (isinstance(node, cst.Name) and node.value in ("setattr", "delattr")):
            return {ATTR}
        return set()
    return set()  # a lambda's own writes are found as nested writes


def _last_part(node: cst.CSTNode) -> str:
    return (dotted_name(node) or "").rsplit(".", 1)[-1]


# ------------------------------------------------------------------ what is restored


def unrestored(scan: Scan, imports: ImportTable) -> list[Write]:
    """The fixture's own changes (not in nested functions) that nothing undoes."""
    if any(name_parts(_last_part(call.func)) & _RESTORE_WORDS for call in scan.teardown_calls):
        return []  # ``reset_settings()``, ``env.restore()`` in the teardown may undo anything
    changes: list[Write] = []
    restores: list[Write] = []
    for write in scan.writes:
        (restores if write.nested or _restoring(write, scan) else changes).append(write)
    return [
        change for change in changes
        if not any(r.target.same_as(change.target) and (r.nested or r.order > change.order) for r in restores)
        and not _teardown_restores(change.target, scan, imports)
        and change.target.family not in scan.callbacks
        and not _inside_saving_with(change, imports)
    ]


def _restoring(write: Write, scan: Scan) -> bool:
    """Is ``write`` itself an undo rather than a change: in the teardown, a restore operation,
    a write of a saved copy, or a delete of something the fixture set before?"""
    if write.teardown or write.kind == "restore":
        return True
    saved = _saved_names(write.target, scan, exact=True)
    if isinstance(write.value, cst.Name) and write.value.value in saved:
        return True  # ``os.chdir(old)``, ``sys.path[:] = saved``, ``os.environ["TZ"] = old_tz``
    return write.kind == "delete" and write.target.key is not None and any(
        not other.nested and other.order < write.order and other.kind == "set"
        and other.target.same_as(write.target)
        for other in scan.writes
    )


def _teardown_restores(target: Target, scan: Scan, imports: ImportTable) -> bool:
    """A teardown call given a saved copy (``restore_env(saved)``), or, for an attribute, any
    call on the object written (``settings.configure(...)``)."""
    saved = _saved_names(target, scan)
    for call in scan.teardown_calls:
        if any(names_used(arg.value) & saved for arg in call.args):
            return True
        if target.family == ATTR and isinstance(call.func, cst.Attribute):
            if imports.qualified_name_of(call.func.value) == target.owner:
                return True
    return False


def _inside_saving_with(write: Write, imports: ImportTable) -> bool:
    """``with mock.patch.dict(os.environ): os.environ["X"] = "1"``: a ``with`` that names the same
    object (``os.environ``, ``"os.environ"``, the module) or says it saves that kind of state
    (``with preserved_environ():``, ``with override_settings(...)``) undoes the change on exit."""
    assert write.located is not None
    return any(
        mentions(item.item, write.target, imports)
        for ancestor in write.located.ancestors
        if isinstance(ancestor, cst.With)
        for item in ancestor.items
    )


def mentions(node: cst.CSTNode, target: Target, imports: ImportTable) -> bool:
    owner = _OBJECT_OF.get(target.family, target.owner if target.family == ATTR else "")
    if owner and any(owner in string for string in _literals(node)):
        return True
    words = _FAMILY_WORDS.get(target.family) or name_parts(target.owner.rsplit(".", 1)[-1])
    for current in walk(node):
        if isinstance(current, (cst.Name, cst.Attribute)) and owner:
            if (imports.qualified_name_of(current) or "").startswith(owner):
                return True
        if isinstance(current, cst.Call) and name_parts(_last_part(current.func)) & (words | _SAVING_WORDS):
            return True
    return False


def opaque_finalizer(fixture: Fixture) -> bool:
    """A finalizer the check cannot read (``request.addfinalizer(restore_env)`` with a function
    defined elsewhere, a bound method, a partial): it may undo anything."""
    local_defs = {node.name.value for node in walk(fixture.function.body)
                  if isinstance(node, cst.FunctionDef)}
    return any(
        not isinstance(finalizer.argument, cst.Lambda)
        and not (isinstance(finalizer.argument, cst.Name) and finalizer.argument.value in local_defs)
        for finalizer in fixture.finalizers
    )


# ------------------------------------------------------------------ pytest.MonkeyPatch()


def assigned_name(located: Located) -> str | None:
    """``mp`` in ``mp = pytest.MonkeyPatch()``."""
    parent = located.ancestors[-1] if located.ancestors else None
    if isinstance(parent, cst.Assign) and parent.value is located.node and len(parent.targets) == 1:
        target = parent.targets[0].target
        if isinstance(target, cst.Name):
            return target.value
    return None


def never_undone(located: Located, fixture: Fixture) -> bool:
    """A ``MonkeyPatch`` the fixture keeps to itself and never undoes. Handing it on (yielding or
    returning it, passing it to a call, storing it, a finalizer) means someone else may undo it."""
    name = assigned_name(located)
    if name is None:
        # ``pytest.MonkeyPatch().setenv(...)``: nothing can ever undo that one.
        parent = located.ancestors[-1] if located.ancestors else None
        return isinstance(parent, cst.Attribute) and parent.value is located.node
    names = aliases(fixture, {name})
    if handed_elsewhere(fixture, names):
        return False
    for node in walk(fixture.function.body, enter_scopes=True):
        if isinstance(node, (cst.Yield, cst.Return)) and node.value is not None:
            if names_used(node.value) & names:
                return False
        if isinstance(node, cst.Call) and any(names_used(arg.value) & names for arg in node.args):
            return False
    return True
