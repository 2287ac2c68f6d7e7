"""FXL101-FXL104: ``request.addfinalizer`` registrations that do not clean up what they should.

All four rules start from ``Fixture.finalizers`` (every ``request.addfinalizer(arg)`` and
``request.node.addfinalizer(arg)`` the model found) and look only inside that fixture:

- FXL101 the finalizer needs a local name that is bound only after the registration;
- FXL102 a resource is acquired, steps that can fail run, and only then is its finalizer registered;
- FXL103 the argument is the result of calling the cleanup, not the cleanup itself;
- FXL104 a closure registered inside a loop reads the loop's variables at teardown.

pytest facts these rest on (pytest 9.2, checked by running): finalizers registered with
``request.addfinalizer`` run even when the fixture raises later, all of them run even when one
raises, and nothing checks that they are callable until teardown calls them;
``request.node.addfinalizer`` asserts ``callable(...)`` at once.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

from fixlint.cst_util import (
    split_leading_lines,
    SCOPES,
    assigned_names,
    children,
    dotted_name,
    names_bound,
    names_used,
    root_name,
    short_code,
    simple_assignment,
    strip_await,
    walk,
)
from fixlint.fallible import is_fallible
from fixlint.imports import ImportTable
from fixlint.model import Finalizer, Fixture, Located, Step, statement_path
from fixlint.resources import INERT_CONSTRUCTORS, activates, is_release_name
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule

PARTIALS = frozenset({"functools.partial"})
# The first word of a function name that, called, does the cleanup itself (and returns None).
CLEANUP_VERBS = frozenset(
    {
        "close", "aclose", "stop", "stopall", "shutdown", "cleanup", "clean", "remove", "unlink",
        "rmtree", "rmdir", "delete", "drop", "kill", "terminate", "release", "dispose", "disconnect",
        "destroy", "teardown", "cancel", "rollback", "reset", "restore", "clear", "join", "unregister",
        "uninstall", "undo", "unpatch", "purge", "flush",
    }
)
# ...unless another word says the call builds a cleanup function (``close_callback()``).
FACTORY_WORDS = frozenset(
    {
        "factory", "fn", "func", "function", "callback", "finalizer", "finaliser", "hook", "handler",
        "closer", "cleaner", "maker", "partial", "getter",
    }
)
# ``names.append(x)``: methods that add to an in-memory collection, not counted as steps that fail.
_LOOPS = (cst.For, cst.While)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
_EXITS = (cst.Return, cst.Yield, cst.Break, cst.Continue)


# ---------------------------------------------------------------------------------------------
# Shared: what a finalizer needs, where names are bound, moving a registration statement
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Needs:
    """The fixture names a finalizer argument depends on."""

    eager: frozenset[str]  # read when ``addfinalizer(...)`` runs: ``conn`` in ``conn.close``
    deferred: frozenset[str]  # read only when pytest calls the finalizer: closures
    body: tuple[cst.CSTNode, ...]  # what the finalizer runs: a lambda's body, a def's statements

    @property
    def all(self) -> frozenset[str]:
        return self.eager | self.deferred


def _needs(argument: cst.BaseExpression, defs: dict[str, cst.FunctionDef]) -> _Needs:
    if isinstance(argument, cst.Lambda):
        defaults = [param.default for param in _all_params(argument.params) if param.default is not None]
        eager = frozenset().union(*(names_used(default) for default in defaults))
        return _Needs(eager, frozenset(_free_names(argument.params, argument.body)), (argument.body,))
    if isinstance(argument, cst.Name) and argument.value in defs:
        function = defs[argument.value]
        body = tuple(function.body.body) if isinstance(function.body, cst.IndentedBlock) else ()
        deferred = frozenset(_free_names(function.params, function.body))
        return _Needs(frozenset({argument.value}), deferred, body)
    return _Needs(frozenset(names_used(argument)), frozenset(), ())


def _free_names(params: cst.Parameters, body: cst.CSTNode) -> set[str]:
    """Names a lambda or def body reads from the enclosing fixture (an over-approximation)."""
    own = {param.name.value for param in _all_params(params)} | names_bound(body)
    return names_used(body) - own


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    for extra in (params.star_arg, params.star_kwarg):
        if isinstance(extra, cst.Param):
            found.append(extra)
    return found


def _local_defs(fixture: Fixture) -> dict[str, cst.FunctionDef]:
    """Functions defined in the fixture body whose name nothing else binds."""
    defs: dict[str, list[cst.FunctionDef]] = {}
    other: set[str] = set(_parameters(fixture.function))
    for node in walk(fixture.function.body):
        if isinstance(node, cst.FunctionDef):
            defs.setdefault(node.name.value, []).append(node)
        else:
            other.update(_binds(node))
    return {name: found[0] for name, found in defs.items() if len(found) == 1 and name not in other}


def _parameters(function: cst.FunctionDef) -> set[str]:
    return {param.name.value for param in _all_params(function.params)}


def _binds(node: cst.CSTNode) -> list[str]:
    """Names this one node binds (not its children): the per-node part of ``names_bound``."""
    if isinstance(node, cst.AssignTarget):
        return assigned_names(node.target)
    if isinstance(node, (cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr)):
        return assigned_names(node.target)
    if isinstance(node, cst.AsName):
        return assigned_names(node.name)
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        return [node.name.value]
    if isinstance(node, cst.ImportAlias):
        if node.asname is not None:
            return assigned_names(node.asname.name)
        return [(dotted_name(node.name) or "").split(".")[0]]
    return []


def _bound_by(statement: cst.CSTNode) -> set[str]:
    """Names a statement binds, a ``def``/``class`` statement's own name included."""
    return names_bound(statement) | set(_binds(statement))


def _fixture_locals(function: cst.FunctionDef) -> set[str]:
    """Names local to the fixture function that are not parameters (so they start unbound)."""
    declared = {
        name.name.value
        for node in walk(function.body)
        if isinstance(node, (cst.Global, cst.Nonlocal))
        for name in node.names
    }
    return names_bound(function.body) - _parameters(function) - declared


def _bound_before(function: cst.FunctionDef, statement: cst.CSTNode) -> set[str]:
    """Names bound anywhere in the source before ``statement`` (any branch: a may-be-bound name
    counts as bound, so the rules stay quiet about it)."""
    bound: set[str] = set()
    for node in walk(function.body):
        if node is statement:
            break
        bound.update(_binds(node))
    return bound


def _registration(step: Step, call: cst.CSTNode) -> bool:
    """Is the statement exactly ``request.addfinalizer(arg)``, so that moving it moves nothing else?"""
    statement = step.statement
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and statement.body[0].value is call
    )


def _registers_or_exits(statements: Sequence[cst.BaseStatement]) -> bool:
    """Would moving a registration across these change the success path or the finalizer order?"""
    for statement in statements:
        for node in walk(statement):
            if isinstance(node, _EXITS):
                return True
            if isinstance(node, cst.Call) and (dotted_name(node.func) or "").endswith(".addfinalizer"):
                return True
    return False


def _move(block: cst.IndentedBlock, source: int, after: int) -> cst.IndentedBlock:
    """``block`` with ``body[source]`` moved to just after ``body[after]``.

    The comments above the moved statement go with it; the blank lines above it stay where
    they were (the statement that followed it takes them), so the layout around keeps its shape.
    A block does not start with a blank line: when the moved statement was the first one, the
    blank lines above its follower go with it instead.
    """
    body = list(block.body)
    moved = body.pop(source)
    blanks, comments = split_leading_lines(moved)
    if source < len(body):
        follower = body[source]
        if source == 0:
            blanks, follower_lines = split_leading_lines(follower)
            body[source] = follower.with_changes(leading_lines=follower_lines)
        else:
            body[source] = follower.with_changes(leading_lines=[*blanks, *follower.leading_lines])
            blanks = []
    position = after if after > source else after + 1  # ``after`` counted before the pop
    body.insert(position, moved.with_changes(leading_lines=[*blanks, *comments]))
    return block.with_changes(body=body)


def _names(names: Sequence[str] | set[str] | frozenset[str]) -> str:
    return ", ".join(f"`{name}`" for name in sorted(names))


# ---------------------------------------------------------------------------------------------
# FXL101 finalizer-before-resource
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _LateBinding:
    name: str
    level: int  # statement-path level whose ``after`` statements hold the binding
    index: int  # index of the binding statement in that level's block
    statement: cst.BaseStatement


def check_before_resource(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        defs = _local_defs(fixture)
        for finalizer in fixture.finalizers:
            if finalizer.argument is not None:
                yield from _before_resource(fixture, finalizer, defs)


def _before_resource(
    fixture: Fixture, finalizer: Finalizer, defs: dict[str, cst.FunctionDef]
) -> Iterator[Finding]:
    path = statement_path(finalizer.call)
    if not path or _loops(finalizer.call):
        return  # in a loop, a name bound later in the body is bound on the next round (FXL104's ground)
    assert finalizer.argument is not None
    needs = _needs(finalizer.argument, defs)
    function = fixture.function
    late_names = (needs.all & _fixture_locals(function)) - _bound_before(function, path[-1].statement)
    bindings = [_late_binding(path, name) for name in sorted(late_names)]
    if not bindings or any(binding is None for binding in bindings):
        return  # nothing late, or a late name bound only off the path (another branch): unsure
    late = [binding for binding in bindings if binding is not None]
    first = min(late, key=lambda b: (-b.level, b.index))  # deeper levels run first
    where = short_code(_innermost_binding(first.statement, first.name))
    registration = short_code(finalizer.call.node)
    eager = sorted(needs.eager & late_names)
    if eager:
        message = (
            f"`{registration}` reads {_names(eager)} when it runs, but {_names(eager)} is bound only later "
            f"(`{where}`): the registration always fails with UnboundLocalError"
        )
    else:
        message = (
            f"the finalizer in `{registration}` uses {_names(late_names)}, bound only later by "
            f"`{where}`; if setup fails before that, pytest still runs the finalizer and it fails "
            "with NameError"
        )
    yield FINALIZER_BEFORE_RESOURCE.finding(
        finalizer.call.node, message, _before_resource_fix(path, finalizer, needs, late, bool(eager))
    )


def _innermost_binding(statement: cst.BaseStatement, name: str) -> cst.CSTNode:
    """What to quote for a binding: ``log = open(...)`` rather than the ``with`` around it."""
    for node in walk(statement):
        statement_like = isinstance(node, (cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef))
        if statement_like and name in _bound_by(node):
            return node
    return statement


def _late_binding(path: list[Step], name: str) -> _LateBinding | None:
    """The first statement after the registration, on its way out of the blocks, binding ``name``."""
    for level in range(len(path) - 1, -1, -1):
        step = path[level]
        for offset, statement in enumerate(step.after):
            if name in _bound_by(statement):
                return _LateBinding(name, level, step.index + 1 + offset, statement)
    return None


def _before_resource_fix(
    path: list[Step], finalizer: Finalizer, needs: _Needs, late: list[_LateBinding], eager: bool
) -> Fix | None:
    """Move the registration to just after the last binding it needs, when that is safe."""
    deepest = len(path) - 1
    step = path[deepest]
    if any(binding.level != deepest for binding in late) or not _registration(step, finalizer.call.node):
        return None
    target = max(late, key=lambda binding: binding.index)
    if not isinstance(target.statement, (cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef)):
        return None  # ``with x() as conn:``: after the block the resource is already closed
    crossed = step.block.body[step.index + 1 : target.index + 1]
    if _registers_or_exits(crossed):
        return None
    rebound = set().union(*(_bound_by(statement) for statement in crossed))
    if (needs.eager - {b.name for b in late}) & rebound:
        return None  # the registration would capture a different object
    if not eager and not _fails_first(needs, late, target):
        return None
    return Fix(
        FixSafety.SAFE,
        f"Move the registration after `{short_code(target.statement)}`",
        step.block,
        _move(step.block, step.index, target.index),
    )


def _fails_first(needs: _Needs, late: list[_LateBinding], target: _LateBinding) -> bool:
    """Does the finalizer, before doing anything, read a name that only the LAST moved-over
    statement binds (``conn = connect()``, binding as its last act)? Then when any moved-over
    statement raises, today's finalizer only raises NameError, and registering it later loses
    no cleanup."""
    assignment = simple_assignment(target.statement)
    binds_last = set(assignment[0]) if assignment else set(_binds(target.statement))
    verdict = None
    for step in needs.body:
        if isinstance(step, cst.SimpleStatementLine) and len(step.body) == 1:
            small = step.body[0]
            expression = small.value if isinstance(small, (cst.Expr, cst.Assign, cst.Return)) else None
        else:
            expression = step if isinstance(step, cst.BaseExpression) else None
        late_names = {binding.name for binding in late}
        verdict = _evaluate(expression, late_names) if expression is not None else ""
        if verdict is not None:
            break
    return bool(verdict) and verdict in binds_last and any(
        b.name == verdict and b.index == target.index for b in late
    )


def _evaluate(node: cst.CSTNode, late: set[str]) -> str | None:
    """In evaluation order: a late name read first (its name), an effect first (""), or neither (None)."""
    if isinstance(node, cst.Name):
        return node.value if node.value in late else None
    if isinstance(node, cst.Attribute):
        return _evaluate(node.value, late)
    if isinstance(node, (cst.Call, cst.Tuple, cst.List, cst.BooleanOperation, cst.Await)):
        if isinstance(node, cst.Call):
            parts: list[cst.CSTNode] = [node.func, *(arg.value for arg in node.args)]
        elif isinstance(node, cst.BooleanOperation):
            parts = [node.left, node.right]
        elif isinstance(node, cst.Await):
            parts = [node.expression]
        else:
            parts = [element.value for element in node.elements]
        for part in parts:
            verdict = _evaluate(part, late)
            if verdict is not None:
                return verdict
        return "" if isinstance(node, (cst.Call, cst.Await)) else None
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float)):
        return None
    return ""


# ---------------------------------------------------------------------------------------------
# FXL102 finalizer-registered-late
# ---------------------------------------------------------------------------------------------


def check_registered_late(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        defs = _local_defs(fixture)
        for finalizer in fixture.finalizers:
            if finalizer.argument is not None:
                yield from _registered_late(finalizer, defs, context.imports)


def _registered_late(
    finalizer: Finalizer, defs: dict[str, cst.FunctionDef], imports: ImportTable
) -> Iterator[Finding]:
    path = statement_path(finalizer.call)
    if not path:
        return
    assert finalizer.argument is not None
    for name in sorted(_cleaned_names(finalizer.argument, defs, imports)):
        found = _acquisition(path, name, imports)
        if found is None:
            continue
        level, index, call = found
        between = _between(path, level, index)
        while between and not between[0].header and activates(between[0].node, name, call):
            between.pop(0)  # ``srv.start()``: if it fails, nothing was acquired yet
        if any(step.releases_on_failure(name) or step.yields() for step in between):
            continue
        failing = next((step.node for step in between if step.can_raise()), None)
        if failing is None:
            continue
        yield FINALIZER_REGISTERED_LATE.finding(
            finalizer.call.node,
            f"`{name}` is acquired by `{short_code(call)}`, but its finalizer is registered only after "
            f"`{short_code(failing)}`; if that raises, the fixture errors before "
            f"`{short_code(finalizer.call.node)}` runs and `{name}` leaks",
            _registered_late_fix(path, level, index, finalizer, defs, name),
        )
        return  # one finding per registration


@dataclass(frozen=True)
class _Between:
    """A step between an acquisition and its registration: a statement, or the header of a
    ``with`` block entered on the way (``header=True``: only its items run then)."""

    node: cst.BaseStatement
    header: bool = False

    def can_raise(self) -> bool:
        """``is_fallible``, except that entering ``with lock:`` is not counted (calls in a ``with``
        header are)."""
        if self.header and isinstance(self.node, cst.With):
            return any(is_fallible(item.item) for item in self.node.items)
        return is_fallible(self.node)

    def releases_on_failure(self, name: str) -> bool:
        """Is ``name`` released already when this step fails: ``try: ... except: conn.close(); raise``,
        or ``with conn:``?"""
        if self.header and isinstance(self.node, cst.With):
            return any(root_name(item.item) == name for item in self.node.items)
        for node in walk(self.node):
            if isinstance(node, cst.Try):
                parts: list[cst.CSTNode] = [*node.handlers]
                parts += [part for part in (node.orelse, node.finalbody) if part is not None]
                if any(name in names_used(part) for part in parts):
                    return True
            elif isinstance(node, cst.WithItem) and root_name(node.item) == name:
                return True
        return False

    def yields(self) -> bool:
        return not self.header and any(isinstance(node, cst.Yield) for node in walk(self.node))


def _cleaned_names(
    argument: cst.BaseExpression, defs: dict[str, cst.FunctionDef], imports: ImportTable
) -> set[str]:
    """The names a finalizer releases: ``conn`` in ``conn.close``, ``partial(shutil.rmtree, path)``,
    ``lambda: srv.stop()`` or a local ``def cleanup(): conn.close()``."""
    if isinstance(argument, cst.Call) and imports.qualified_name_of(argument.func) in PARTIALS:
        if not argument.args:
            return set()
        released, *rest = argument.args
        if _is_release_function(released.value, imports):
            return {arg.value.value for arg in rest if isinstance(arg.value, cst.Name)}
        argument = released.value
    if isinstance(argument, cst.Attribute) and is_release_name(argument):
        root = root_name(argument.value)
        return {root} if root and root not in imports.names else set()
    if isinstance(argument, cst.Lambda):
        return _released_in(argument.body, imports)
    if isinstance(argument, cst.Name) and argument.value in defs:
        return _released_in(defs[argument.value].body, imports)
    return set()


def _released_in(node: cst.CSTNode, imports: ImportTable) -> set[str]:
    """Names that calls in ``node`` release: ``conn.close()``, ``shutil.rmtree(path)``."""
    released: set[str] = set()
    for call in walk(node):
        if not isinstance(call, cst.Call) or not is_release_name(call.func):
            continue
        if isinstance(call.func, cst.Attribute):
            root = root_name(call.func.value)
            if root is not None and root not in imports.names:
                released.add(root)
        if _is_release_function(call.func, imports):
            released.update(arg.value.value for arg in call.args if isinstance(arg.value, cst.Name))
    return released


def _is_release_function(func: cst.BaseExpression, imports: ImportTable) -> bool:
    """``shutil.rmtree`` / ``os.remove`` / a bare ``drop_database``: a function of a module or of
    no receiver whose name says it releases. ``registry.remove(name)`` is not: it undoes a
    registration, which a failing ``registry.add(name)`` never made."""
    dotted = dotted_name(func)
    if dotted is None:
        return False
    receiver = dotted.rpartition(".")[0]
    if receiver and receiver.split(".")[0] not in imports.names:
        return False
    return is_release_name(func)


def _acquisition(path: list[Step], name: str, imports: ImportTable) -> tuple[int, int, cst.Call] | None:
    """The statement that last binds ``name`` before the registration, as ``(level, index, call)``,
    when it is a plain ``name = acquire(...)`` and every block between it and the registration
    is always entered once it runs (``with`` bodies)."""
    for level in range(len(path) - 1, -1, -1):
        step = path[level]
        for index in range(step.index - 1, -1, -1):
            statement = step.block.body[index]
            if name in _bound_by(statement):
                call = _acquiring_call(statement, imports)
                return None if call is None else (level, index, call)
        owner = step.owner
        if not isinstance(owner, cst.With) or any(
            item.asname is not None and name in assigned_names(item.asname.name) for item in owner.items
        ):
            return None  # the function's top, or a block that is not always entered
    return None


def _acquiring_call(statement: cst.BaseStatement, imports: ImportTable) -> cst.Call | None:
    """``conn = connect()`` / ``conn = await connect()`` -> the call (patchers and threads excluded:
    creating them acquires nothing)."""
    assignment = simple_assignment(statement)
    if assignment is None:
        return None
    value = strip_await(assignment[1])
    if not isinstance(value, cst.Call) or imports.qualified_name_of(value.func) in INERT_CONSTRUCTORS:
        return None
    return value


def _between(path: list[Step], level: int, index: int) -> list[_Between]:
    """What runs after the acquisition and before the registration: statements, and the headers of
    the ``with`` blocks entered on the way (``_acquisition`` allows only those)."""
    steps = [_Between(statement) for statement in path[level].block.body[index + 1 : path[level].index]]
    for deeper in path[level + 1 :]:
        assert isinstance(deeper.owner, cst.With)
        steps.append(_Between(deeper.owner, header=True))
        steps.extend(_Between(statement) for statement in deeper.before)
    return steps


def _registered_late_fix(
    path: list[Step],
    level: int,
    index: int,
    finalizer: Finalizer,
    defs: dict[str, cst.FunctionDef],
    name: str,
) -> Fix | None:
    """Move the registration up to just after the acquisition, when nothing it needs is bound
    in between and no other registration or exit lies in between."""
    step = path[level]
    if level != len(path) - 1 or not _registration(step, finalizer.call.node):
        return None
    crossed = step.block.body[index + 1 : step.index]
    assert finalizer.argument is not None
    needs = _needs(finalizer.argument, defs)
    if _registers_or_exits(crossed) or needs.all & set().union(*(_bound_by(s) for s in crossed)):
        return None
    return Fix(
        FixSafety.SAFE,
        f"Register the finalizer right after `{name}` is acquired",
        step.block,
        _move(step.block, step.index, index),
    )


# ---------------------------------------------------------------------------------------------
# FXL103 finalizer-not-callable
# ---------------------------------------------------------------------------------------------


def check_not_callable(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        defs = _local_defs(fixture)
        for finalizer in fixture.finalizers:
            call = finalizer.argument
            if isinstance(call, cst.Call) and context.imports.qualified_name_of(call.func) not in PARTIALS:
                finding = _not_callable(context, fixture, finalizer, call, defs)
                if finding is not None:
                    yield finding


def _not_callable(
    context: FileContext,
    fixture: Fixture,
    finalizer: Finalizer,
    call: cst.Call,
    defs: dict[str, cst.FunctionDef],
) -> Finding | None:
    called = short_code(call)
    if isinstance(call.func, cst.Name) and call.func.value not in defs and call.func.value in (
        _parameters(fixture.function) | _fixture_locals(fixture.function)
    ):
        return None  # a value the fixture was given or built: what calling it returns is unknown
    registration = f"`{finalizer.receiver}.addfinalizer(...)`"
    callee = _called_def(context.module, fixture, call, defs)
    if callee is not None:
        if callee.decorators or _is_generator(callee):
            return None
        if callee.asynchronous is not None:
            message = (
                f"{registration} registers the coroutine that `{called}` returns; it is never awaited, so "
                f"the cleanup never runs, and {_not_callable_outcome(finalizer)}"
            )
            return FINALIZER_NOT_CALLABLE.finding(finalizer.call.node, message)
        if not _returns_none(callee):
            return None  # maybe a factory that returns the cleanup function
        result = f"the result of `{called}`, which is None"
    elif _names_cleanup(call.func):
        result = f"the result of `{called}` instead of the cleanup itself"
    else:
        return None  # an unknown function may well return a callable (a factory)
    message = (
        f"{registration} registers {result}: `{called}` runs now, during setup, and "
        f"{_not_callable_outcome(finalizer)}"
    )
    return FINALIZER_NOT_CALLABLE.finding(finalizer.call.node, message, _not_callable_fix(context, call))


def _not_callable_outcome(finalizer: Finalizer) -> str:
    if finalizer.receiver == "request.node":
        return (
            "`request.node.addfinalizer` fails at once with AssertionError (not callable): "
            "the test errors in setup"
        )
    return "pytest fails at teardown with TypeError (not callable): the test is reported with an error"


def _called_def(
    module: cst.Module, fixture: Fixture, call: cst.Call, defs: dict[str, cst.FunctionDef]
) -> cst.FunctionDef | None:
    """The function ``call`` calls, when this file defines it: a local def, a module-level def,
    or ``self.method()`` of the fixture's own class."""
    func = call.func
    if isinstance(func, cst.Name):
        return defs.get(func.value) or _unique_def(module.body, func.value)
    if (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value in ("self", "cls")
        and fixture.class_name is not None
    ):
        owner = _class_of(module, fixture.function)
        if owner is not None and isinstance(owner.body, cst.IndentedBlock):
            return _unique_def(owner.body.body, func.attr.value)
    return None


def _unique_def(statements: Sequence[cst.CSTNode], name: str) -> cst.FunctionDef | None:
    found = [
        statement
        for statement in statements
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and statement.name.value == name
    ]
    return found[0] if len(found) == 1 and isinstance(found[0], cst.FunctionDef) else None


def _class_of(module: cst.Module, function: cst.FunctionDef) -> cst.ClassDef | None:
    pending: list[cst.CSTNode] = list(module.body)
    while pending:
        node = pending.pop()
        if isinstance(node, cst.ClassDef) and isinstance(node.body, cst.IndentedBlock):
            if any(statement is function for statement in node.body.body):
                return node
            pending.extend(node.body.body)
    return None


def _is_generator(function: cst.FunctionDef) -> bool:
    return any(isinstance(node, cst.Yield) for node in walk(function.body))


def _returns_none(function: cst.FunctionDef) -> bool:
    return all(
        node.value is None or (isinstance(node.value, cst.Name) and node.value.value == "None")
        for node in walk(function.body)
        if isinstance(node, cst.Return)
    )


def _names_cleanup(func: cst.BaseExpression) -> bool:
    """``conn.close`` / ``shutil.rmtree`` / ``stop_server``: a name that does the cleanup when called
    (not a class, not ``make_cleanup`` or ``close_callback``, which build one)."""
    dotted = dotted_name(func)
    if dotted is None:
        return False
    last = dotted.rsplit(".", 1)[-1]
    if not last or last[0].isupper():
        return False
    words = [word for word in re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", last).lower().split("_") if word]
    return bool(words) and words[0] in CLEANUP_VERBS and not FACTORY_WORDS & set(words)


def _not_callable_fix(context: FileContext, call: cst.Call) -> Fix:
    """``x.close()`` -> ``x.close``; ``f(a, b)`` -> ``functools.partial(f, a, b)`` (arguments are
    still evaluated at registration, as today, and the call moves to teardown)."""
    if not call.args:
        return Fix(FixSafety.SAFE, f"Pass `{short_code(call.func)}` itself", call, call.func)
    existing = _partial_reference(context.module)
    partial = cst.Call(
        func=cst.parse_expression(existing or "functools.partial"),
        args=[cst.Arg(call.func, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), *call.args],
    )
    title = f"Register `{short_code(partial)}`"
    if existing is not None:
        return Fix(FixSafety.SAFE, title, call, partial)
    # A fix replaces one node: here the module, to add ``import functools`` as well.
    module = context.module
    replaced = module.deep_replace(call, partial)
    assert isinstance(replaced, cst.Module)
    return Fix(FixSafety.SAFE, title + " and import functools", module, _with_functools(replaced))


def _partial_reference(module: cst.Module) -> str | None:
    """How this file can spell ``functools.partial`` through a top-level import, if it can."""
    via_module = None
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            from_functools = isinstance(small, cst.ImportFrom) and not small.relative
            if from_functools and dotted_name(small.module) == "functools":  # type: ignore[union-attr]
                if isinstance(small.names, Sequence):  # type: ignore[union-attr]
                    for alias in small.names:
                        if dotted_name(alias.name) == "partial":
                            return _local_name(alias) or "partial"
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    if dotted_name(alias.name) == "functools":
                        via_module = f"{_local_name(alias) or 'functools'}.partial"
    return via_module


def _local_name(alias: cst.ImportAlias) -> str | None:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return None


def _with_functools(module: cst.Module) -> cst.Module:
    """Add ``import functools`` where isort would: among the leading standard-library
    ``import x`` lines in alphabetical order, else in a group of its own above the first import."""
    body = list(module.body)
    start = 0
    while start < len(body) and (_is_docstring(body[start]) or _import_module(body[start]) == "__future__"):
        start += 1
    new = cst.SimpleStatementLine([cst.Import(names=[cst.ImportAlias(cst.Name("functools"))])])
    group_end = start
    while group_end < len(body) and _import_module(body[group_end]) is not None and (
        group_end == start or not body[group_end].leading_lines
    ):
        group_end += 1
    first = _import_module(body[start]) if start < len(body) else None
    if first is not None and first.split(".")[0] in sys.stdlib_module_names:
        position = next(
            (
                i
                for i in range(start, group_end)
                if isinstance(body[i].body[0], cst.ImportFrom)  # type: ignore[attr-defined]
                or (_import_module(body[i]) or "").lower() > "functools"
            ),
            group_end,
        )
        if position == start:
            new = new.with_changes(leading_lines=body[start].leading_lines)
            body[start] = body[start].with_changes(leading_lines=())
        body.insert(position, new)
    elif start < len(body):
        new = new.with_changes(leading_lines=body[start].leading_lines)
        body[start] = body[start].with_changes(leading_lines=(cst.EmptyLine(),))
        body.insert(start, new)
    else:
        body.append(new)
    return module.with_changes(body=body)


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _import_module(statement: cst.BaseStatement) -> str | None:
    """The module a one-import line imports (``os`` for ``import os``), else None."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Import):
        return dotted_name(small.names[0].name)
    if isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None:
        return dotted_name(small.module)
    return None


# ---------------------------------------------------------------------------------------------
# FXL104 finalizer-late-binding
# ---------------------------------------------------------------------------------------------


def check_late_binding(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        defs = _local_defs(fixture)
        for finalizer in fixture.finalizers:
            finding = _late_binding_finding(fixture, finalizer, defs)
            if finding is not None:
                yield finding


def _late_binding_finding(
    fixture: Fixture, finalizer: Finalizer, defs: dict[str, cst.FunctionDef]
) -> Finding | None:
    argument = finalizer.argument
    if isinstance(argument, cst.Lambda):
        closure: cst.Lambda | cst.FunctionDef = argument
        kind = "lambda"
    elif isinstance(argument, cst.Name) and argument.value in defs:
        closure = defs[argument.value]
        kind = f"function `{argument.value}`"
    else:
        return None  # a bound method or functools.partial captures the current value
    loops = _loops(finalizer.call)
    if not loops:
        return None
    varying = set().union(*(_varying(loop) for loop in loops))
    captured = _free_names(closure.params, closure.body) & varying
    path = statement_path(finalizer.call)
    if not captured or path is None or _registers_once(path, loops[-1]):
        return None
    message = (
        f"the {kind} registered in `{short_code(loops[-1])}` reads {_names(captured)} only when pytest "
        f"calls it at teardown, after the loop has ended: every finalizer registered here sees the last "
        f"value, and the earlier ones are never cleaned up"
    )
    return FINALIZER_LATE_BINDING.finding(
        finalizer.call.node, message, _late_binding_fix(fixture, path, loops, closure, captured)
    )


def _loops(located: Located) -> list[cst.CSTNode]:
    """The loops whose body (or comprehension element) holds the node, outermost first."""
    chain = located.ancestors + (located.node,)
    loops: list[cst.CSTNode] = []
    for position, node in enumerate(located.ancestors):
        inner = chain[position + 1]
        if isinstance(node, _LOOPS) and inner is node.body:
            loops.append(node)
        elif isinstance(node, _COMPREHENSIONS) and inner is not node.for_in:
            loops.append(node)
    return loops


def _varying(loop: cst.CSTNode) -> set[str]:
    """Names that take a new value on each round: the loop target and names bound in the body."""
    if isinstance(loop, cst.For):
        return set(assigned_names(loop.target)) | names_bound(loop.body)
    if isinstance(loop, cst.While):
        return names_bound(loop.body)
    names: set[str] = set()
    comp_for = getattr(loop, "for_in", None)
    while comp_for is not None:
        names.update(assigned_names(comp_for.target))
        comp_for = comp_for.inner_for_in
    return names


def _registers_once(path: list[Step], loop: cst.CSTNode) -> bool:
    """A ``break``/``return`` right after the registration (a retry loop): it happens once."""
    owners = [step.owner for step in path]
    if loop not in owners:
        return False  # a comprehension: it cannot stop early
    return any(
        isinstance(statement, cst.SimpleStatementLine)
        and any(isinstance(small, (cst.Break, cst.Return)) for small in statement.body)
        for step in path[owners.index(loop) :]
        for statement in step.after
    )


def _late_binding_fix(
    fixture: Fixture,
    path: list[Step],
    loops: list[cst.CSTNode],
    closure: cst.Lambda | cst.FunctionDef,
    captured: set[str],
) -> Fix | None:
    """Bind each captured name as a default argument, evaluated when the closure is created."""
    if not _defaults_can_be_added(closure.params):
        return None
    if isinstance(closure, cst.FunctionDef):
        located = _locate(fixture.function, closure)
        if located is None or not any(loop in located.ancestors for loop in loops[-1:]):
            return None  # defined outside the loop: a default would be evaluated once, too early
        where = statement_path(located)
    else:
        where = path
    if where is None or _rebound_later(where, loops, captured):
        return None
    params = [*closure.params.params, *(_default_param(name) for name in sorted(captured))]
    new = closure.with_changes(params=closure.params.with_changes(params=params))
    return Fix(FixSafety.SAFE, f"Bind {_names(captured)} as default arguments", closure, new)


def _defaults_can_be_added(params: cst.Parameters) -> bool:
    return (
        not params.posonly_params
        and not params.kwonly_params
        and not isinstance(params.star_arg, (cst.Param, cst.ParamStar))
        and params.star_kwarg is None
        and all(param.default is not None for param in params.params)
    )


def _rebound_later(path: list[Step], loops: list[cst.CSTNode], captured: set[str]) -> bool:
    """Is a captured name bound again later in the same round? Then the value at creation time is
    not the one the round ends with, and a default would pick a different object."""
    owners = [step.owner for step in path]
    levels = [owners.index(loop) for loop in loops if loop in owners]
    start = min(levels) if levels else len(path) - 1
    return any(captured & _bound_by(statement) for step in path[start:] for statement in step.after)


def _default_param(name: str) -> cst.Param:
    no_space = cst.SimpleWhitespace("")
    tight = cst.AssignEqual(whitespace_before=no_space, whitespace_after=no_space)
    return cst.Param(cst.Name(name), default=cst.Name(name), equal=tight)


def _locate(function: cst.FunctionDef, target: cst.CSTNode) -> Located | None:
    """``target`` with its ancestors, found by a walk of the fixture's own body."""
    stack: list[tuple[cst.CSTNode, tuple[cst.CSTNode, ...]]] = [(function.body, (function,))]
    while stack:
        node, ancestors = stack.pop()
        if node is target:
            return Located(node, ancestors)
        if isinstance(node, SCOPES):
            continue
        stack.extend((child, ancestors + (node,)) for child in children(node))
    return None


# ---------------------------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------------------------

FINALIZER_BEFORE_RESOURCE = Rule(
    code="FXL101",
    name="finalizer-before-resource",
    summary="A finalizer is registered before a name it uses is bound",
    fix=FixSafety.SAFE,
    check=check_before_resource,
    explanation="""\
## What it does
Flags `request.addfinalizer(...)` when the finalizer (a lambda, a function defined earlier in
the fixture, a bound method such as `conn.close`, or `functools.partial(...)`) uses a local
name of the fixture that is first bound only after the registration.

## Why is this bad?
pytest runs a fixture's finalizers even when the fixture raises after registering them. If
`conn = connect()` comes after `request.addfinalizer(lambda: conn.close())` and `connect()`
raises, pytest still calls the lambda at teardown, which fails with
`NameError: cannot access free variable 'conn'`: a second error in the report and nothing
cleaned up. When the finalizer reads the name at registration (`conn.close`,
`functools.partial(shutil.rmtree, path)`), it is worse: the registration itself always fails
with `UnboundLocalError`, so the fixture never works.

Registering the cleanup right after the resource exists is the pattern that makes
`addfinalizer` worth using: from then on, any setup failure still releases it.

## Example
```python
@pytest.fixture
def db(request):
    request.addfinalizer(lambda: conn.close())
    conn = connect(DSN)
    return conn
```

## Use instead
```python
@pytest.fixture
def db(request):
    conn = connect(DSN)
    request.addfinalizer(lambda: conn.close())  # or: request.addfinalizer(conn.close)
    return conn
```

## Fix safety
The fix moves the registration statement to just after the last statement that binds a name
the finalizer needs, in the same block; comments above the registration move with it. It is
safe: on a run where setup succeeds, the same finalizer is registered and runs at teardown
as before. It is offered only when the registration and those bindings are in the same block,
no other registration, `return`, `yield` or `break` lies in between (finalizers run in reverse
order of registration, and that order is kept), and either the registration always fails today
(`UnboundLocalError`), or the finalizer's first action reads a name bound by the last statement
moved over, so today's finalizer could not have cleaned anything up on a failure in between.
Registrations inside loops are left to FXL104.
""",
)

FINALIZER_REGISTERED_LATE = Rule(
    code="FXL102",
    name="finalizer-registered-late",
    summary="A resource's finalizer is registered only after setup steps that can fail",
    fix=FixSafety.SAFE,
    check=check_registered_late,
    explanation="""\
## What it does
Flags `request.addfinalizer(...)` when the name it cleans up (`conn` in `conn.close`,
`lambda: srv.stop()`, `functools.partial(shutil.rmtree, workdir)`) was bound from a call
(`conn = connect()`), and a statement that can raise runs between that acquisition and the
registration.

A statement "can raise" when it contains a call, `await`, `raise` or `assert`; `print`,
`len`, `isinstance`, logging calls and `request.addfinalizer` itself are not counted, nor steps
wrapped in `try: ... except Exception:`. Creating a patcher or a thread (`mock.patch(...)`,
`threading.Thread(...)`) does not count as acquiring anything, and a step whose `except` or
`finally` already releases the name is not flagged.

## Why is this bad?
A finalizer exists for pytest only once `addfinalizer` has run. If `seed(conn)` raises before
that, the fixture errors, the test is reported as an error, and `conn` is never closed: the
connection, server, process or temporary directory leaks into the rest of the session.
Finalizers registered *before* the failure do run, so registering the cleanup immediately after
the acquisition makes every later setup step safe without any `try`/`finally`.

This is also why a finalizer can be safer than the `yield` form that ruff's PT021 recommends:
a yield fixture's teardown runs only if setup reaches `yield` (see FXL201).

## Example
```python
@pytest.fixture
def db(request):
    conn = connect(DSN)
    seed(conn)
    request.addfinalizer(conn.close)
    return conn
```

## Use instead
```python
@pytest.fixture
def db(request):
    conn = connect(DSN)
    request.addfinalizer(conn.close)
    seed(conn)
    return conn
```

## Fix safety
The fix moves the registration up to just after the acquisition (comments above it move with
it). It is safe: when setup succeeds the same finalizer is registered, before the other steps
instead of after them, and only a failing setup now runs it. It is offered only when both are
in the same block, the finalizer needs no name bound in between (that would make it fail, see
FXL101), and no other registration, `return` or `yield` lies in between, so the order in which
finalizers run stays the same.
""",
)

FINALIZER_NOT_CALLABLE = Rule(
    code="FXL103",
    name="finalizer-not-callable",
    summary="addfinalizer is given the result of calling the cleanup instead of the cleanup",
    fix=FixSafety.SAFE,
    check=check_not_callable,
    explanation="""\
## What it does
Flags `request.addfinalizer(conn.close())` and `request.addfinalizer(cleanup(path))`: the
argument is the result of a call, when that result is not a function. It is reported when the
called function is defined in the same file and returns nothing (or is `async`, so it returns a
coroutine), or when its name says it does the cleanup itself (`close`, `stop`, `shutdown`,
`cleanup`, `rmtree`, `remove`, ...). Calls that build a cleanup function are not flagged:
`functools.partial(...)` (through any import alias), functions of the same file that return a
lambda, a nested function or anything else, and functions defined elsewhere whose names do not
say "cleanup" (`make_cleanup(conn)`).

## Why is this bad?
`conn.close()` runs right away, during setup, so the test gets a closed resource. What it
returns (`None`) is stored as the finalizer: `request.addfinalizer` does not check it, and
pytest fails at teardown with `TypeError: 'NoneType' object is not callable`, so even a
passing test is reported with an error. `request.node.addfinalizer` does check, and fails at
once with an `AssertionError`, so the test errors in setup.

## Example
```python
@pytest.fixture
def server(request):
    srv = start_server()
    request.addfinalizer(srv.stop())
    request.addfinalizer(remove_logs(srv.log_dir))
    return srv
```

## Use instead
```python
@pytest.fixture
def server(request):
    srv = start_server()
    request.addfinalizer(srv.stop)
    request.addfinalizer(functools.partial(remove_logs, srv.log_dir))
    return srv
```

## Fix safety
A call without arguments becomes the callable itself (`srv.stop()` -> `srv.stop`). A call with
arguments becomes `functools.partial(f, args...)`, which evaluates the arguments now, as today's
code does, and calls `f` at teardown. The fix uses the file's own `from functools import
partial` or `import functools` (under any alias); when there is neither, it adds
`import functools` with the other standard-library imports. Both are safe: today's code always
errors (at teardown, or in setup for `request.node.addfinalizer`), so no passing run changes.
No fix is offered for an `async` cleanup: registering the coroutine function would not await it.
""",
)

FINALIZER_LATE_BINDING = Rule(
    code="FXL104",
    name="finalizer-late-binding",
    summary="A finalizer closure registered in a loop sees only the loop's last value",
    fix=FixSafety.SAFE,
    check=check_late_binding,
    explanation="""\
## What it does
Flags a lambda or a nested function registered with `request.addfinalizer(...)` inside a
`for`/`while` loop or a comprehension, when it uses the loop variable or a name bound in the
loop body. Bound methods (`srv.stop`) and `functools.partial(stop, srv)` are not flagged: they
capture the current object when they are created. Neither are closures that bind the name as a
default argument (`lambda srv=srv: srv.stop()`), nor a registration followed by `break` or
`return` (a retry loop registers once).

## Why is this bad?
A closure reads the variables of the enclosing function when it is called, not when it is
created. pytest calls finalizers at teardown, long after the loop has ended, so every one of
them sees the loop's last value: the last server is stopped once per round, and all the other
servers are never stopped.

## Example
```python
@pytest.fixture
def servers(request):
    found = []
    for port in (8001, 8002, 8003):
        srv = start_server(port)
        request.addfinalizer(lambda: srv.stop())
        found.append(srv)
    return found
```

## Use instead
```python
@pytest.fixture
def servers(request):
    found = []
    for port in (8001, 8002, 8003):
        srv = start_server(port)
        request.addfinalizer(srv.stop)  # or: lambda srv=srv: srv.stop()
        found.append(srv)
    return found
```

## Fix safety
The fix binds each captured name as a default argument (`lambda srv=srv: srv.stop()`,
`def remove(path=path):`), so it is evaluated when the closure is created. It is safe: pytest
calls finalizers without arguments, and each one now cleans up its own round's object instead
of the last one again. It is not offered when the closure takes other parameters without
defaults, when a nested function is defined outside the loop, or when a captured name is bound
again later in the same round.
""",
)
