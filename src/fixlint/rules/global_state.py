"""FXL303 global-state-not-restored: a fixture changes process-global state and never undoes it.

Process-global state is what every later test in the process shares: ``os.environ`` (and the
C-level environment behind ``os.putenv``), the working directory, ``sys.path``, ``sys.modules``,
attributes of imported modules and objects, and a ``pytest.MonkeyPatch()`` whose ``undo()``
nobody calls. The check is deliberately generous about restoration: a later write to the same
target, a saved copy written back or handed to a teardown call, a teardown call named like an
undo (``reset``, ``restore``, ``cleanup``...), a writer handed on as a callback
(``stack.callback(os.chdir, old)``), a ``with`` that saves that state, or a finalizer it cannot
read all count as "restored", so only changes that surely stay behind are reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import libcst as cst

from fixlint.cst_util import (
    all_params,
    binds,
    children,
    code_of,
    dotted_name,
    lift_blank_lines,
    names_bound,
    names_used,
    root_name,
    short_code,
    simple_assignment,
    walk,
)
from fixlint.imports import ImportTable, build_import_table
from fixlint.model import Fixture, Located, statement_path
from fixlint.ownership import aliases, handed_elsewhere
from fixlint.resources import name_parts
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule

# What a change touches, by family. ``Target.key`` is the variable, module name, ``sys.path``
# entry or attribute; None means the whole object (``os.environ.clear()``, ``sys.path[:] = x``).
ENV, CWD, PATH, MODULES, ATTR = "env", "cwd", "path", "modules", "attr"
_FAMILY_OF = {"os.environ": ENV, "sys.path": PATH, "sys.modules": MODULES}
_OBJECT_OF = {family: qualified for qualified, family in _FAMILY_OF.items()}
_MONKEYPATCH_CLASSES = frozenset({"pytest.MonkeyPatch", "_pytest.monkeypatch.MonkeyPatch"})
_RELOADS = frozenset({"importlib.reload", "imp.reload"})
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
# Calls that only convert a value: ``str(tmp_path)`` reads nothing a ``setenv`` could change.
_CONVERSIONS = frozenset({"str", "int", "repr", "os.fspath", "os.path.join", "os.pathsep.join"})
_SCOPE_REACH = {
    "class": "every test after the class that uses it",
    "module": "every test in later modules",
    "package": "every test in later packages",
}
_NOUNS = {ENV: "the environment", CWD: "the working directory", PATH: "`sys.path`",
          MODULES: "`sys.modules`", ATTR: "the attribute"}

Plan = list[tuple[str, list[cst.Arg]]]  # the monkeypatch calls that replace a change


@dataclass(frozen=True)
class Target:
    family: str
    owner: str  # the qualified object written: "os.environ", "myapp.settings" ("cwd" for CWD)
    root: str  # the local name it is reached through: "os", "environ", "settings"
    key: str | None = None
    literal: bool = False  # a literal key: two different literals never name the same thing

    def same_as(self, other: Target) -> bool:
        """Could the two name the same state? (Generous: unknown keys match anything.)"""
        if self.family != other.family or (self.family == ATTR and self.owner != other.owner):
            return False
        if self.key is None or other.key is None or not (self.literal and other.literal):
            return True
        return self.key == other.key


@dataclass(eq=False)
class Write:
    """One statement or call that changes a target, and where it sits in the fixture."""

    node: cst.CSTNode  # where a finding points: the Assign / Del / AugAssign / Call
    target: Target
    kind: str  # "set", "delete", or "restore" (``sys.path.remove``, ``importlib.reload``)
    verb: str  # "sets `os.environ["TZ"]`"
    effect: str  # "sees `TZ` set"
    plan: Plan | None = None
    value: cst.CSTNode | None = None  # what it writes: a saved copy makes it a restore
    # Filled in by the scan:
    located: Located | None = None
    order: int = 0  # position in source order
    nested: bool = False  # inside a nested def or lambda (a finalizer, or a helper)
    teardown: bool = False  # after the first ``yield``, or in a ``finally`` / ``except``


@dataclass
class _Scan:
    """Everything one walk over a fixture finds."""

    imports: ImportTable  # the file's, plus imports inside the fixture
    writes: list[Write] = field(default_factory=list)
    teardown_calls: list[cst.Call] = field(default_factory=list)
    patchers: list[Located] = field(default_factory=list)  # ``pytest.MonkeyPatch()`` calls
    saved: dict[str, set[str]] = field(default_factory=dict)  # family -> names holding a saved copy
    sources: dict[str, cst.CSTNode] = field(default_factory=dict)  # saved name -> what it was read from
    callbacks: set[str] = field(default_factory=set)  # families whose writer is handed on


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        if fixture.scope is None or (fixture.scope == "session" and fixture.autouse):
            continue  # unknown scope, or a change meant for the whole session
        if fixture.body is not None:
            yield from _check_fixture(fixture, context)


def _check_fixture(fixture: Fixture, context: FileContext) -> Iterator[Finding]:
    scan = _scan(fixture, context.imports)
    imports = scan.imports
    leaks = [] if _opaque_finalizer(fixture) else _unrestored(scan, imports)
    patchers = [located for located in scan.patchers if _never_undone(located, fixture)]
    fix = None
    if leaks and not patchers:
        fix = _rewrite_fix(fixture, imports, scan, leaks)
    elif len(patchers) == 1 and not leaks:
        fix = _undo_fix(fixture, patchers[0])
    reach, suffix = _reach(fixture)
    reported: set[int] = set()
    for write in leaks:
        if id(write.node) in reported:
            continue  # ``cfg.x, cfg.y = 1, 2``: one finding per statement
        reported.add(id(write.node))
        noun = _NOUNS[write.target.family] if write.verb.startswith("calls") else "it"
        yield GLOBAL_STATE_NOT_RESTORED.finding(
            write.node,
            f"`{fixture.name}` {write.verb} and never restores {noun}: {reach} {write.effect}{suffix}",
            fix,
        )
    for located in patchers:
        name = _assigned_name(located)
        made = f"`{name} = {short_code(located.node)}`" if name else f"`{short_code(located.node)}`"
        undo = f"`{name}.undo()`" if name else "its `undo()`"
        yield GLOBAL_STATE_NOT_RESTORED.finding(
            located.node,
            f"`{fixture.name}` creates {made} and never calls {undo}: {reach} keeps every change "
            f"made through it{suffix}",
            fix,
        )


def _reach(fixture: Fixture) -> tuple[str, str]:
    """Which later tests see the change, and the note that they need not request the fixture."""
    never = f", including tests that never request `{fixture.name}`"
    if fixture.scope == "session":
        return f"every test after the first one that requests `{fixture.name}`", never
    if fixture.scope in _SCOPE_REACH:
        return _SCOPE_REACH[fixture.scope], ""
    return "every later test in this process", never


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


class _Resolver:
    """Which global object an expression names, inside one fixture."""

    def __init__(self, imports: ImportTable, local: set[str]) -> None:
        self.imports = imports
        self.local = local

    def qualified(self, node: cst.CSTNode) -> str | None:
        """``_os.environ`` -> ``os.environ``; None unless the root is an import not shadowed."""
        root = root_name(node)
        if root is None or root in self.local or root not in self.imports.names:
            return None
        return self.imports.qualified_name_of(node)

    def family(self, node: cst.CSTNode) -> str | None:
        """ENV / PATH / MODULES for ``os.environ`` / ``sys.path`` / ``sys.modules`` (any alias)."""
        return _FAMILY_OF.get(self.qualified(node) or "")


def _scan(fixture: Fixture, file_imports: ImportTable) -> _Scan:
    """One walk over the fixture: its writes, where each sits, and what could undo them."""
    visits = _walk(fixture.function)
    scan = _Scan(imports=_with_local_imports(visits, file_imports))
    resolver = _Resolver(scan.imports, _local_names(fixture.function, visits))
    first_yield: int | None = None
    for order, visit in enumerate(visits):
        node, ancestors, nested = visit.node, visit.ancestors, visit.nested
        if isinstance(node, cst.Yield) and not nested and first_yield is None:
            first_yield = order
        teardown = nested or visit.guarded or (first_yield is not None and order > first_yield)
        located = Located(node, ancestors)
        for write in _writes(node, ancestors, resolver):
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


def _families_read(node: cst.CSTNode, resolver: _Resolver) -> set[str]:
    """Which state ``node`` reads, so a name assigned from it holds a saved copy:
    ``os.environ.copy()`` reads ENV, ``os.getcwd()`` CWD, ``settings.DEBUG`` "attr:settings"."""
    found: set[str] = set()
    for current in walk(node):
        if isinstance(current, (cst.Name, cst.Attribute)):
            qualified = resolver.qualified(current) or ""
            if qualified.startswith(("os.environ", "os.getenv")):
                found.add(ENV)
            elif qualified.startswith(("sys.path", "sys.modules")):
                found.add(_FAMILY_OF[qualified[:11]])
            elif qualified:
                found.add(f"{ATTR}:{root_name(current)}")
        elif isinstance(current, cst.Call) and _last_part(current.func) in _CWD_CALLS:
            found.add(CWD)
    return found


def _saved_names(target: Target, scan: _Scan, *, exact: bool = False) -> set[str]:
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
        stack.extend(current.children)
    return found


def _callbacks(node: cst.CSTNode, resolver: _Resolver) -> set[str]:
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
        if owner in _FAMILY_OF and method not in _READERS:
            return {_FAMILY_OF[owner]}
        if qualified in _RELOADS or (isinstance(node, cst.Name) and node.value in ("setattr", "delattr")):
            return {ATTR}
        return set()
    return set()  # a lambda's own writes are found as nested writes


def _last_part(node: cst.CSTNode) -> str:
    return (dotted_name(node) or "").rsplit(".", 1)[-1]


# ------------------------------------------------------------------ recognising changes


def _writes(node: cst.CSTNode, ancestors: tuple[cst.CSTNode, ...], resolver: _Resolver) -> list[Write]:
    if isinstance(node, cst.Assign):
        targets = [part for target in node.targets for part in _unpacked(target.target)]
        single = len(targets) == 1 and _sole_statement(node, ancestors)
        found = [_assignment(target, node, node.value, resolver, single) for target in targets]
    elif isinstance(node, (cst.AugAssign, cst.AnnAssign)):
        found = [_assignment(node.target, node, node.value, resolver, False)] if node.value else []
        for write in found if isinstance(node, cst.AugAssign) else ():
            if write is not None:  # ``os.environ["PATH"] += ...`` changes the value it found
                write.verb = write.verb.replace("sets", "changes", 1)
                write.effect = write.effect.replace(" set", " changed").replace("the new", "the changed")
    elif isinstance(node, cst.Del):
        targets = _unpacked(node.target)
        single = len(targets) == 1 and _sole_statement(node, ancestors)
        found = [_deletion(target, node, resolver, single) for target in targets]
    elif isinstance(node, cst.Call):
        statement = isinstance(ancestors[-1], cst.Expr) and _sole_statement(ancestors[-1], ancestors[:-1])
        found = [_call_write(node, resolver, statement)]
    else:
        return []
    return [write for write in found if write is not None]


def _unpacked(target: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The parts of ``a, b = ...`` / ``del a, b`` (the target itself when it is not a tuple)."""
    if isinstance(target, (cst.Tuple, cst.List)):
        return [part for element in target.elements for part in _unpacked(element.value)]
    return [target]


def _sole_statement(small: cst.CSTNode, ancestors: tuple[cst.CSTNode, ...]) -> bool:
    """Is ``small`` the only statement on its line, so a rewrite can replace it whole?"""
    parent = ancestors[-1]
    return (
        isinstance(parent, (cst.SimpleStatementLine, cst.SimpleStatementSuite))
        and len(parent.body) == 1
        and "#" not in code_of(small)  # a rewrite would drop comments inside the statement
    )


def _index(node: cst.Subscript) -> cst.BaseExpression | None:
    """The key of ``x[key]`` (None for slices and ``x[a, b]``)."""
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return node.slice[0].slice.value
    return None


def _target(family: str, holder: cst.BaseExpression, resolver: _Resolver,
            key: cst.BaseExpression | None = None) -> Target:
    text, literal = None, False
    if isinstance(key, (cst.SimpleString, cst.ConcatenatedString)) and isinstance(key.evaluated_value, str):
        text, literal = key.evaluated_value, True
    elif key is not None:
        text = " ".join(code_of(key).split())
    return Target(family, resolver.qualified(holder) or "", root_name(holder) or "", text, literal)


def _label(target: Target) -> str:
    return f"`{target.key}`" if target.key is not None else "the environment"


def _assignment(target: cst.BaseExpression, statement: cst.CSTNode, value: cst.BaseExpression,
                resolver: _Resolver, convertible: bool) -> Write | None:
    """``os.environ[k] = v``, ``sys.modules[k] = m``, ``sys.path[:] = x``, ``mod.attr = v``."""
    written = f"`{short_code(target)}`"
    if isinstance(target, cst.Subscript):
        family, key = resolver.family(target.value), _index(target)
        if family == ENV and key is not None:
            where = _target(ENV, target.value, resolver, key)
            plan = [("setenv", [_arg(key), _arg(value)])] if convertible else None
            return Write(statement, where, "set", f"sets {written}", f"sees {_label(where)} set", plan, value)
        if family == MODULES and key is not None:
            where = _target(MODULES, target.value, resolver, key)
            plan = [("setitem", [_arg(target.value), _arg(key), _arg(value)])] if convertible else None
            return Write(statement, where, "set", f"sets {written}",
                         f"gets the replacement from `import {where.key}`", plan, value)
        if family == PATH:
            return Write(statement, _target(PATH, target.value, resolver), "set", f"assigns {written}",
                         "imports through the changed `sys.path`", None, value)
        return None
    if not isinstance(target, cst.Attribute) or resolver.qualified(target) is None:
        return None
    family = resolver.family(target)
    if family is not None:  # ``sys.path = [...]``: the whole object is replaced
        where = Target(family, resolver.qualified(target) or "", root_name(target) or "")
        effect = f"sees the replaced {written}"
    else:
        where = _target(ATTR, target.value, resolver, cst.SimpleString(repr(target.attr.value)))
        effect = f"sees the new {written}"
        if isinstance(target.value, cst.Name) and target.value.value in resolver.imports.modules:
            written = f"module attribute {written}"
    name = cst.SimpleString(f'"{target.attr.value}"')
    plan = None
    if convertible:
        plan = [("setattr", [_arg(target.value), _arg(name), _arg(value), _not_raising()])]
    return Write(statement, where, "set", f"sets {written}", effect, plan, value)


def _deletion(target: cst.BaseExpression, statement: cst.Del, resolver: _Resolver,
              convertible: bool) -> Write | None:
    """``del os.environ[k]``, ``del sys.modules[k]``, ``del mod.attr`` (``del sys.path[0]`` undoes)."""
    written = f"`{short_code(target)}`"
    if isinstance(target, cst.Subscript):
        family, key = resolver.family(target.value), _index(target)
        if family == PATH:
            return Write(statement, _target(PATH, target.value, resolver), "restore", "", "")
        if key is None or family not in (ENV, MODULES):
            return None
        where = _target(family, target.value, resolver, key)
        if family == ENV:
            plan = [("delenv", [_arg(key)])] if convertible else None
            return Write(statement, where, "delete", f"deletes {written}", f"finds {_label(where)} unset",
                         plan)
        plan = [("delitem", [_arg(target.value), _arg(key)])] if convertible else None
        return Write(statement, where, "delete", f"deletes {written}", f"imports `{where.key}` afresh", plan)
    if isinstance(target, cst.Attribute) and resolver.qualified(target) is not None:
        where = _target(ATTR, target.value, resolver, cst.SimpleString(repr(target.attr.value)))
        plan = [("delattr", [_arg(target.value), _arg(cst.SimpleString(f'"{target.attr.value}"'))])]
        return Write(statement, where, "delete", f"deletes {written}", f"finds {written} missing",
                     plan if convertible else None)
    return None


def _call_write(call: cst.Call, resolver: _Resolver, statement: bool) -> Write | None:
    """``os.chdir(p)``, ``os.putenv(k, v)``, ``os.environ.update(...)``, ``sys.path.insert(0, p)``,
    ``sys.modules.pop(k)``, ``setattr(mod, "x", v)``, ``importlib.reload(mod)``."""
    qualified = resolver.qualified(call.func)
    args = [arg for arg in call.args if arg.keyword is None and not arg.star]
    convertible = statement and len(args) == len(call.args)
    quoted = f"`{short_code(call)}`"
    if qualified == "os.chdir" and len(args) == 1:
        where = Target(CWD, "cwd", root_name(call.func) or "")
        return Write(call, where, "set", f"calls {quoted}",
                     f"runs in `{short_code(args[0].value, 30)}` instead of the directory it started in",
                     [("chdir", [_arg(args[0].value)])] if convertible else None, args[0].value)
    if qualified in ("os.putenv", "os.unsetenv") and args:
        where = _target(ENV, call.func, resolver, args[0].value)
        if qualified == "os.putenv":
            effect = f"starts child processes with {_label(where)} set"
            return Write(call, where, "set", f"calls {quoted}", effect)
        effect = f"starts child processes without {_label(where)}"
        return Write(call, where, "delete", f"calls {quoted}", effect)
    if qualified in _RELOADS and len(args) == 1 and resolver.qualified(args[0].value):
        where = Target(ATTR, resolver.qualified(args[0].value) or "", root_name(args[0].value) or "")
        return Write(call, where, "restore", "", "")
    if isinstance(call.func, cst.Name) and call.func.value in ("setattr", "delattr"):
        return _builtin_attr_write(call, call.func.value, resolver, convertible)
    if not isinstance(call.func, cst.Attribute):
        return None
    receiver, method = call.func.value, call.func.attr.value
    family = resolver.family(receiver)
    if family == ENV:
        return _environ_call(call, receiver, method, args, statement, resolver)
    if family == PATH:
        return _path_call(call, receiver, method, args, convertible, resolver)
    if family == MODULES:
        return _modules_call(call, receiver, method, args, convertible, resolver)
    return None


def _builtin_attr_write(call: cst.Call, method: str, resolver: _Resolver, convertible: bool) -> Write | None:
    if len(call.args) != (3 if method == "setattr" else 2) or resolver.qualified(call.args[0].value) is None:
        return None
    holder, name = call.args[0].value, call.args[1].value
    where = _target(ATTR, holder, resolver, name)
    plan = None
    if convertible:
        extra = [_not_raising()] if method == "setattr" else []
        plan = [(method, [*(_arg(arg.value) for arg in call.args), *extra])]
    shown = f"`{short_code(holder, 30)}.{where.key if where.literal else short_code(name, 30)}`"
    if method == "setattr":
        return Write(call, where, "set", f"calls `{short_code(call)}`", f"sees the new {shown}", plan,
                     call.args[2].value)
    return Write(call, where, "delete", f"calls `{short_code(call)}`", f"finds {shown} missing", plan)


def _environ_call(call: cst.Call, environ: cst.BaseExpression, method: str, args: list[cst.Arg],
                  statement: bool, resolver: _Resolver) -> Write | None:
    quoted = f"`{short_code(call)}`"
    convertible = statement and len(args) == len(call.args)
    if method in ("__setitem__", "setdefault") and len(args) == 2:
        where = _target(ENV, environ, resolver, args[0].value)
        plan = None
        if convertible and method == "__setitem__":
            plan = [("setenv", [_arg(a.value) for a in args])]
        return Write(call, where, "set", f"calls {quoted}", f"sees {_label(where)} set", plan, args[1].value)
    if method in ("pop", "__delitem__") and args:
        where = _target(ENV, environ, resolver, args[0].value)
        plan = _delete_plan("delenv", [], args) if convertible else None
        return Write(call, where, "delete", f"calls {quoted}", f"finds {_label(where)} unset", plan)
    if method == "update":
        plan = _update_plan(call) if statement else None
        return Write(call, _target(ENV, environ, resolver), "set", f"calls {quoted}",
                     "sees the variables it set", plan, args[0].value if args else None)
    if method in ("clear", "popitem"):
        return Write(call, _target(ENV, environ, resolver), "delete", f"calls {quoted}",
                     "runs with variables missing from the environment")
    return None


def _path_call(call: cst.Call, path: cst.BaseExpression, method: str, args: list[cst.Arg],
               convertible: bool, resolver: _Resolver) -> Write | None:
    if method in ("remove", "pop", "clear", "__delitem__"):
        return Write(call, _target(PATH, path, resolver), "restore", "", "")
    if method not in ("insert", "append", "extend") or not args:
        return None
    entry = args[-1].value
    plan = None
    if convertible and method == "insert" and len(args) == 2 and _is_zero(args[0].value):
        plan = [("syspath_prepend", [_arg(entry)])]
    shown = "its entries" if method == "extend" else f"`{short_code(entry, 30)}`"
    return Write(call, _target(PATH, path, resolver, entry), "set", f"calls `{short_code(call)}`",
                 f"imports with {shown} on `sys.path`", plan, entry)


def _modules_call(call: cst.Call, modules: cst.BaseExpression, method: str, args: list[cst.Arg],
                  convertible: bool, resolver: _Resolver) -> Write | None:
    quoted = f"`{short_code(call)}`"
    if method in ("pop", "__delitem__") and args:
        where = _target(MODULES, modules, resolver, args[0].value)
        plan = _delete_plan("delitem", [_arg(modules)], args) if convertible else None
        return Write(call, where, "delete", f"calls {quoted}", f"imports `{where.key}` afresh", plan)
    if method in ("__setitem__", "setdefault") and len(args) == 2:
        where = _target(MODULES, modules, resolver, args[0].value)
        plan = None
        if convertible and method == "__setitem__":
            plan = [("setitem", [_arg(modules), _arg(args[0].value), _arg(args[1].value)])]
        return Write(call, where, "set", f"calls {quoted}", f"gets the replacement from `import {where.key}`",
                     plan, args[1].value)
    if method in ("update", "clear"):
        return Write(call, _target(MODULES, modules, resolver), "set", f"calls {quoted}",
                     "imports through the changed `sys.modules`")
    return None


def _is_zero(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Integer) and node.value == "0"


def _delete_plan(method: str, before: list[cst.Arg], args: list[cst.Arg]) -> Plan | None:
    """``pop(k)`` -> ``delenv(k)``; ``pop(k, default)`` -> ``delenv(k, raising=False)``: the popped
    value is thrown away, so only a default whose evaluation does nothing may be dropped."""
    if len(args) > 2 or (len(args) == 2 and not _plain(args[1].value)):
        return None
    rewritten = [*before, _arg(args[0].value)]
    if len(args) == 2:
        rewritten.append(_not_raising())
    return [(method, rewritten)]


def _update_plan(call: cst.Call) -> Plan | None:
    """``os.environ.update({"A": a})`` / ``update(A=a)`` -> one ``setenv`` per variable, when
    nothing in the keys or values can notice that they are now set one at a time."""
    pairs: list[tuple[cst.BaseExpression, cst.BaseExpression]] = []
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is not None:
            pairs.append((cst.SimpleString(f'"{arg.keyword.value}"'), arg.value))
        elif isinstance(arg.value, cst.Dict) and len(call.args) == 1:
            for element in arg.value.elements:
                if not isinstance(element, cst.DictElement):
                    return None
                pairs.append((element.key, element.value))
        else:
            return None
    if not all(_plain(key) and _plain(value) for key, value in pairs):
        return None
    return [("setenv", [_arg(key), _arg(value)]) for key, value in pairs] or None


def _plain(node: cst.BaseExpression) -> bool:
    """Does evaluating ``node`` read nothing but names, literals and conversions of them?"""
    for current in walk(node):
        if isinstance(current, cst.Call) and dotted_name(current.func) not in _CONVERSIONS:
            return False
        if isinstance(current, (cst.Subscript, cst.Await, cst.NamedExpr, cst.Yield)):
            return False
    return True


def _keyword(name: str, value: cst.BaseExpression) -> cst.Arg:
    none = cst.SimpleWhitespace("")
    return cst.Arg(keyword=cst.Name(name), value=value, equal=cst.AssignEqual(none, none))


def _not_raising() -> cst.Arg:
    """``raising=False``: ``monkeypatch.setattr`` raises when the attribute does not exist yet,
    where an assignment creates it."""
    return _keyword("raising", cst.Name("False"))


def _arg(value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(value=value)


# ------------------------------------------------------------------ what is restored


def _unrestored(scan: _Scan, imports: ImportTable) -> list[Write]:
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


def _restoring(write: Write, scan: _Scan) -> bool:
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


def _teardown_restores(target: Target, scan: _Scan, imports: ImportTable) -> bool:
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
        _mentions(item.item, write.target, imports)
        for ancestor in write.located.ancestors
        if isinstance(ancestor, cst.With)
        for item in ancestor.items
    )


def _mentions(node: cst.CSTNode, target: Target, imports: ImportTable) -> bool:
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


def _opaque_finalizer(fixture: Fixture) -> bool:
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


def _assigned_name(located: Located) -> str | None:
    """``mp`` in ``mp = pytest.MonkeyPatch()``."""
    parent = located.ancestors[-1] if located.ancestors else None
    if isinstance(parent, cst.Assign) and parent.value is located.node and len(parent.targets) == 1:
        target = parent.targets[0].target
        if isinstance(target, cst.Name):
            return target.value
    return None


def _never_undone(located: Located, fixture: Fixture) -> bool:
    """A ``MonkeyPatch`` the fixture keeps to itself and never undoes. Handing it on (yielding or
    returning it, passing it to a call, storing it, a finalizer) means someone else may undo it."""
    name = _assigned_name(located)
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


def _undo_fix(fixture: Fixture, located: Located) -> Fix | None:
    """Add ``mp.undo()`` as the last teardown step; a final ``return x`` becomes ``yield x``.
    Only for the plain shape: the ``MonkeyPatch`` and the one ``yield``/``return`` both in the
    function's own body, so the undo surely runs after every use."""
    name = _assigned_name(located)
    made = statement_path(located)
    block = fixture.function.body
    if name is None or made is None or len(made) != 1 or not isinstance(block, cst.IndentedBlock):
        return None
    undo = cst.SimpleStatementLine(body=[cst.Expr(_method_call(name, "undo", []))])
    if fixture.yields and not fixture.returns:
        path = statement_path(fixture.yields[0]) if len(fixture.yields) == 1 else None
        if path is None or len(path) != 1 or path[0].index < made[0].index:
            return None
        return Fix(FixSafety.UNSAFE, f"Call `{name}.undo()` at the end of the teardown",
                   block, block.with_changes(body=[*block.body, undo]))
    last = block.body[-1]
    if fixture.yields or len(fixture.returns) != 1 or fixture.function.returns is not None:
        return None
    returned = fixture.returns[0].node
    if not isinstance(last, cst.SimpleStatementLine) or len(last.body) != 1 or last.body[0] is not returned:
        return None
    assert isinstance(returned, cst.Return)
    yielded = last.with_changes(body=[cst.Expr(cst.Yield(value=returned.value))])
    return Fix(FixSafety.UNSAFE, f"Yield instead of returning, then call `{name}.undo()`",
               block, block.with_changes(body=[*block.body[:-1], yielded, undo]))


# ------------------------------------------------------------------ the monkeypatch rewrite


def _rewrite_fix(fixture: Fixture, imports: ImportTable, scan: _Scan, leaks: list[Write]) -> Fix | None:
    """Make every unrestored change through monkeypatch, when each has an exact equivalent and
    nothing else in the fixture touches the same state."""
    if any(write.plan is None or write.nested for write in leaks):
        return None
    if any(len(write.plan or ()) > 1 and _in_one_line_suite(write) for write in leaks):
        return None  # ``if x: os.environ.update(...)`` cannot become several statements
    if any(write not in leaks and any(write.target.same_as(leak.target) for leak in leaks)
           for write in scan.writes):
        return None
    if fixture.scope == "function":
        return _function_scope_fix(fixture, leaks)
    return _context_fix(fixture, imports, leaks)


def _in_one_line_suite(write: Write) -> bool:
    assert write.located is not None
    return any(isinstance(node, cst.SimpleStatementSuite) for node in write.located.ancestors)


def _method_call(receiver: str, method: str, args: list[cst.Arg]) -> cst.Call:
    return cst.Call(func=cst.Attribute(value=cst.Name(receiver), attr=cst.Name(method)), args=args)


class _Rewriter(cst.CSTTransformer):
    """Replaces each change (by identity) with its monkeypatch calls."""

    def __init__(self, leaks: list[Write], receiver: str) -> None:
        self.plans = {id(write.node): write.plan for write in leaks}
        self.receiver = receiver

    def _calls(self, small: cst.BaseSmallStatement) -> list[cst.BaseSmallStatement] | None:
        plan = self.plans.get(id(small.value if isinstance(small, cst.Expr) else small))
        if plan is None:
            return None
        return [cst.Expr(_method_call(self.receiver, method, args)) for method, args in plan]

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        calls = self._calls(original.body[0])
        if calls is None:
            return updated
        first, *rest = calls  # comments above and beside the statement stay with the first call
        if not rest:
            return updated.with_changes(body=[first])
        return cst.FlattenSentinel([updated.with_changes(body=[first]),
                                    *(cst.SimpleStatementLine(body=[call]) for call in rest)])

    def leave_SimpleStatementSuite(
        self, original: cst.SimpleStatementSuite, updated: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        calls = self._calls(original.body[0])
        return updated if calls is None else updated.with_changes(body=calls)


def _function_scope_fix(fixture: Fixture, leaks: list[Write]) -> Fix | None:
    """``os.environ[k] = v`` -> ``monkeypatch.setenv(k, v)``, requesting ``monkeypatch``."""
    function = fixture.function
    requested = any(param.name.value == "monkeypatch" for param in all_params(function.params))
    if fixture.name == "monkeypatch":
        return None  # an override of the fixture itself cannot request it the same way
    if not requested and (
        "monkeypatch" in names_used(function) | names_bound(function.body) or not _can_append(function.params)
    ):
        return None
    new = function.with_changes(body=function.body.visit(_Rewriter(leaks, "monkeypatch")))
    if not requested:
        new = new.with_changes(params=_append_param(function, "monkeypatch"))
    return Fix(FixSafety.UNSAFE, "Make the changes through the `monkeypatch` fixture, which undoes them",
               function, new)


def _can_append(params: cst.Parameters) -> bool:
    """A plain parameter can go last: no ``*args``/keyword-only/``**kwargs`` and no defaults."""
    if params.star_arg is not cst.MaybeSentinel.DEFAULT or params.kwonly_params or params.star_kwarg:
        return False
    return all(param.default is None for param in (*params.posonly_params, *params.params))


def _append_param(function: cst.FunctionDef, name: str) -> cst.Parameters:
    params = function.params
    existing = list(params.params)
    new = cst.Param(name=cst.Name(name))
    if existing and isinstance(existing[-1].comma, cst.Comma):
        # One parameter per line with a trailing comma: the new one takes over the last comma.
        last = existing[-1]
        before = function.whitespace_before_params
        after = before if isinstance(before, cst.ParenthesizedWhitespace) else cst.SimpleWhitespace(" ")
        existing[-1] = last.with_changes(comma=cst.Comma(whitespace_after=after))
        new = new.with_changes(comma=last.comma)
    return params.with_changes(params=[*existing, new])


def _context_fix(fixture: Fixture, imports: ImportTable, leaks: list[Write]) -> Fix | None:
    """Broader scopes: ``with pytest.MonkeyPatch.context() as mp:`` around the ``yield``, the
    changes made through ``mp``."""
    function = fixture.function
    pytest_name = next((local for local, qualified in imports.names.items()
                        if qualified == "pytest" and local in imports.modules), None)
    taken = names_used(function) | names_bound(function.body)
    taken |= {param.name.value for param in all_params(function.params)}
    if pytest_name is None or "mp" in taken or len(fixture.yields) != 1 or fixture.returns:
        return None
    # From the first change's statement through the end of the function, so every teardown
    # step still runs before the context undoes the changes, as it does today.
    block = function.body
    paths = [statement_path(write.located) if write.located else None for write in leaks]
    if not isinstance(block, cst.IndentedBlock) or any(not path for path in paths):
        return None
    start = min(path[0].index for path in paths if path)
    region = cst.IndentedBlock(body=block.body[start:]).visit(_Rewriter(leaks, "mp"))
    lines, moved = lift_blank_lines(list(region.body))  # type: ignore[attr-defined]
    monkeypatch_class = cst.Attribute(value=cst.Name(pytest_name), attr=cst.Name("MonkeyPatch"))
    context = cst.Call(func=cst.Attribute(value=monkeypatch_class, attr=cst.Name("context")))
    wrapped = cst.With(
        items=[cst.WithItem(item=context, asname=cst.AsName(name=cst.Name("mp")))],
        body=cst.IndentedBlock(body=moved),
        leading_lines=lines,
    )
    title = f"Make the changes inside `with {pytest_name}.MonkeyPatch.context() as mp:` around the `yield`"
    return Fix(FixSafety.UNSAFE, title, block, block.with_changes(body=[*block.body[:start], wrapped]))


GLOBAL_STATE_NOT_RESTORED = Rule(
    code="FXL303",
    name="global-state-not-restored",
    summary="A fixture changes process-global state and never restores it",
    fix=FixSafety.UNSAFE,
    check=check,
    explanation="""\
## What it does
Flags a fixture that changes state the whole test process shares and never changes it back:

- the environment: `os.environ[k] = v`, `del os.environ[k]`, `os.environ.update(...)` (and
  `pop`, `setdefault`, `clear`), `os.putenv`, `os.unsetenv`;
- the working directory: `os.chdir(path)`;
- imports: `sys.path.insert/append/extend(...)` or assigning `sys.path`, `sys.modules[k] = m`,
  `sys.modules.pop(k)`, `del sys.modules[k]`;
- attributes of imported names: `settings.DEBUG = True`, `mymod.TIMEOUT = 1`,
  `setattr(mymod, "TIMEOUT", 1)`, `del mymod.TIMEOUT`;
- a `pytest.MonkeyPatch()` created in the fixture whose `undo()` nobody calls.

Import aliases are followed (`from os import environ`, `import os as _os`). One finding is
reported per changing statement.

Not flagged: changes that something undoes, read generously: a later write to the same
target (in the teardown after `yield`, a `finally`, a finalizer or a nested function), a
delete of what the fixture itself set earlier, a saved copy written back (`os.chdir(old)`,
`sys.path[:] = saved`, `os.environ["TZ"] = old_tz`) or handed to a teardown call, a teardown
call named like an undo (`reset_settings()`, `restore()`, `cleanup()`, `importlib.reload(mod)`),
a writer handed on to run later (`stack.callback(os.chdir, old)`), a finalizer whose code is
not visible, or a `with` around the change that names the same object or says it saves that
state (`with mock.patch.dict(os.environ): ...`, `with preserved_environ(): ...`). Changes made
through the `monkeypatch` fixture or `MonkeyPatch.context()` are not direct writes and are
never flagged. Writes to local copies (`env = os.environ.copy(); env["X"] = "1"`), to
fixture parameters or to `self` are not global. A `MonkeyPatch()` the fixture yields, returns,
stores or passes on may be undone by whoever receives it. A fixture with `scope="session"`
and `autouse=True` is meant to change the whole session and is not flagged; neither is a
fixture whose scope is not a literal.

## Why is this bad?
The process outlives the fixture. When a function-scoped fixture sets `os.environ["TZ"]`,
every test that runs after it in the same process (the same xdist worker) sees `TZ` set,
including tests in other modules that never requested the fixture: their outcome now depends
on test order. A module- or class-scoped fixture is torn down after its last test, but
without an undo its change stays for every test after that. This was checked by running
pytest 9.2: a later module's test sees the variable set by a function-scoped fixture it never
requested, and the directory a module-scoped fixture changed into.

`os.putenv` is worse than it looks: it changes the C-level environment that child processes
inherit, but not `os.environ` (checked: `os.environ` does not show the variable, a child
started afterwards does), so the Python code that would normally notice it cannot.

`pytest.MonkeyPatch()` outside the `monkeypatch` fixture undoes nothing by itself: its changes
stay until someone calls `undo()` (checked: a later test sees a variable set through an
instance the fixture never undid).

## Example
```python
@pytest.fixture
def utc():
    os.environ["TZ"] = "UTC"
    time.tzset()


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("plugins")
    sys.path.insert(0, str(path))
    yield path
```

## Use instead
```python
@pytest.fixture
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("plugins")
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(path))
        yield path
```
Saving the old value and restoring it after `yield` (in a `finally` when setup can fail
after the change) works too. The `monkeypatch` fixture is function-scoped, so a broader
fixture cannot request it (ScopeMismatch): use `pytest.MonkeyPatch.context()` there.

## Fix safety
The fix is unsafe: it undoes the change after the fixture's tests, so later tests that
(knowingly or not) relied on the leaked state behave differently. It is offered only when
every unrestored change in the fixture has a `monkeypatch` equivalent and nothing else in the
fixture touches the same state:

- function scope: each change becomes a `monkeypatch` call and the fixture requests
  `monkeypatch` (added as its last parameter): `os.environ[k] = v` -> `setenv(k, v)`,
  `del os.environ[k]` / `os.environ.pop(k)` -> `delenv(k)` (`pop(k, default)` ->
  `delenv(k, raising=False)`), `os.environ.update({...})` with plain keys and values -> one
  `setenv` each, `os.chdir(p)` -> `chdir(p)`, `sys.path.insert(0, p)` -> `syspath_prepend(p)`,
  `sys.modules[k] = m` -> `setitem(sys.modules, k, m)`, `sys.modules.pop(k)` / `del` ->
  `delitem(sys.modules, k)`, `mod.attr = v` / `setattr(mod, "attr", v)` ->
  `setattr(mod, "attr", v, raising=False)`, `del mod.attr` / `delattr(...)` ->
  `delattr(mod, "attr")`.
  The `monkeypatch` fixture is torn down after the fixture that requests it, so the
  fixture's own teardown still sees its changes.
- broader scopes (generator fixtures with one `yield`): the statements from the first change
  through the end of the fixture move into `with pytest.MonkeyPatch.context() as mp:` and the
  changes go through `mp`, so every teardown step still runs before the changes are undone
  (using the name `pytest` is imported as; no fix when it is not imported as a module or `mp`
  is taken).
- a `MonkeyPatch()` never undone: `mp.undo()` is added as the last teardown statement, and a
  final `return x` becomes `yield x` (only when the instance and the `yield`/`return` are in
  the fixture's own body, and the function has no return annotation to update).

What the `monkeypatch` methods do differently (pytest 9.2 source): `setenv` converts a non-`str`
value with `str()` and warns, where `os.environ` raised `TypeError`; `syspath_prepend` inserts
`str(p)` (a `pathlib.Path` on `sys.path` is ignored by the import system, its string is not),
calls `importlib.invalidate_caches()` and fixes up `pkg_resources` namespace packages when
`pkg_resources` is imported; `monkeypatch.setattr` raises `AttributeError` when the attribute
does not exist yet, where plain assignment creates it, so the fix passes `raising=False` (undo
then deletes the attribute again); and undo restores attributes from the instance's own
`__dict__`. If a test also uses `monkeypatch` and calls `monkeypatch.undo()`, it now undoes
the fixture's changes too (the fixture and the test share one instance). A multi-line call
rewritten by the fix is printed on one line.
""",
)
