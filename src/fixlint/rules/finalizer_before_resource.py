"""FXL101 finalizer-before-resource: a finalizer registered before a name it uses is bound.

``request.addfinalizer(lambda: conn.close())`` above ``conn = connect()``: if ``connect()``
raises, pytest still runs the lambda, which fails with NameError. When the registration itself
reads the name (``request.addfinalizer(conn.close)``) it always fails. The fix moves the
registration below the binding, when that cannot lose a cleanup today's code would have done.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from fixlint.cst_util import binds, short_code, simple_assignment, walk
from fixlint.imports import ImportTable
from fixlint.model import Finalizer, Fixture, Step, statement_path
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule
from fixlint.rules.finalizer_common import (
    Needs,
    bound_before,
    bound_by,
    bound_by_any,
    fixture_locals,
    is_registration_statement,
    local_defs,
    loops,
    move,
    move_changes_order,
    needs_of,
    quote_names,
    request_names,
    stable_at_registration,
)


@dataclass(frozen=True)
class _LateBinding:
    name: str
    level: int  # statement-path level whose ``after`` statements hold the binding
    index: int  # index of the binding statement in that level's block
    statement: cst.BaseStatement


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        defs = local_defs(fixture)
        for finalizer in fixture.finalizers:
            if finalizer.argument is not None:
                yield from _check_finalizer(fixture, finalizer, defs, context.imports)


def _check_finalizer(
    fixture: Fixture, finalizer: Finalizer, defs: dict[str, cst.FunctionDef], imports: ImportTable
) -> Iterator[Finding]:
    path = statement_path(finalizer.call)
    if not path or loops(finalizer.call):
        return  # in a loop, a name bound later in the body is bound on the next round (FXL104's ground)
    assert finalizer.argument is not None
    needs = needs_of(finalizer.argument, defs)
    function = fixture.function
    late_names = (needs.all & fixture_locals(function)) - bound_before(function, path[-1].statement)
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
            f"`{registration}` reads {quote_names(eager)} when it runs, but {quote_names(eager)} is bound "
            f"only later (`{where}`): the registration always fails with UnboundLocalError"
        )
    else:
        message = (
            f"the finalizer in `{registration}` uses {quote_names(late_names)}, bound only later by "
            f"`{where}`; if setup fails before that, pytest still runs the finalizer and it fails "
            "with NameError"
        )
    fix = _fix(fixture, path, finalizer, needs, late, bool(eager), imports)
    yield FINALIZER_BEFORE_RESOURCE.finding(finalizer.call.node, message, fix)


def _innermost_binding(statement: cst.BaseStatement, name: str) -> cst.CSTNode:
    """What to quote for a binding: ``log = open(...)`` rather than the ``with`` around it."""
    for node in walk(statement):
        statement_like = isinstance(node, (cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef))
        if statement_like and name in bound_by(node):
            return node
    return statement


def _late_binding(path: list[Step], name: str) -> _LateBinding | None:
    """The first statement after the registration, on its way out of the blocks, binding ``name``."""
    for level in range(len(path) - 1, -1, -1):
        step = path[level]
        for offset, statement in enumerate(step.after):
            if name in bound_by(statement):
                return _LateBinding(name, level, step.index + 1 + offset, statement)
    return None


def _fix(
    fixture: Fixture,
    path: list[Step],
    finalizer: Finalizer,
    needs: Needs,
    late: list[_LateBinding],
    eager: bool,
    imports: ImportTable,
) -> Fix | None:
    """Move the registration to just after the last binding it needs, when that is safe."""
    deepest = len(path) - 1
    step = path[deepest]
    if any(binding.level != deepest for binding in late) or not is_registration_statement(
        step, finalizer.call.node
    ):
        return None
    target = max(late, key=lambda binding: binding.index)
    if not isinstance(target.statement, (cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef)):
        return None  # ``with x() as conn:``: after the block the resource is already closed
    crossed = step.block.body[step.index + 1 : target.index + 1]
    if move_changes_order(crossed, request_names(fixture)):
        return None
    if (needs.eager - {binding.name for binding in late}) & bound_by_any(crossed):
        return None  # the registration would capture a different object
    if not eager:
        # Today's registration succeeds; it must register the same thing after the move, and
        # today's finalizer must not have cleaned anything up when a moved-over step failed.
        assert finalizer.argument is not None
        if not stable_at_registration(finalizer.argument, imports) or not _fails_before_acting(
            needs, late, target
        ):
            return None
    return Fix(
        FixSafety.SAFE,
        f"Move the registration after `{short_code(target.statement)}`",
        step.block,
        move(step.block, step.index, target.index),
    )


# ---------------------------------------------------------------- what the finalizer does first


class _Act(enum.Enum):
    NOTHING = "nothing"  # a constant, or a name bound already: no effect yet, look further
    EFFECT = "effect"  # a call, an assignment, anything that may do something
    READS_LATE = "reads late"  # reads a late name: NameError right here


@dataclass(frozen=True)
class _First:
    """The first thing a finalizer does that matters, in evaluation order."""

    act: _Act
    name: str | None = None  # the late name, for READS_LATE


_NOTHING = _First(_Act.NOTHING)
_EFFECT = _First(_Act.EFFECT)


def _fails_before_acting(needs: Needs, late: list[_LateBinding], target: _LateBinding) -> bool:
    """Does the finalizer, before doing anything, read a name that only the LAST moved-over
    statement binds, as its last act (``conn = connect()``)? Then whenever a moved-over statement
    raises, today's finalizer only raises NameError, and registering it later loses no cleanup."""
    first = _first_of_statements(needs.body, {binding.name for binding in late})
    if first.act is not _Act.READS_LATE:
        return False
    assignment = simple_assignment(target.statement)
    binds_last = set(assignment[0]) if assignment else set(binds(target.statement))
    first_bound_by_target = any(b.name == first.name and b.index == target.index for b in late)
    return first.name in binds_last and first_bound_by_target


def _first_of_statements(body: tuple[cst.CSTNode, ...], late: set[str]) -> _First:
    """What a lambda body or a def's statements do first."""
    for part in body:
        if isinstance(part, cst.BaseStatement):
            first = _first_of_statement(part, late)
        else:
            first = _first_of(part, late)
        if first.act is not _Act.NOTHING:
            return first
    return _NOTHING


def _first_of_statement(statement: cst.BaseStatement, late: set[str]) -> _First:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return _EFFECT
    small = statement.body[0]
    if isinstance(small, cst.Expr):
        return _first_of(small.value, late)
    if isinstance(small, cst.Assign):
        first = _first_of(small.value, late)
        local_only = all(isinstance(target.target, cst.Name) for target in small.targets)
        return first if first.act is not _Act.NOTHING or local_only else _EFFECT
    return _EFFECT  # ``return``, ``del``, ``raise``, ...: stop looking


def _first_of(node: cst.CSTNode, late: set[str]) -> _First:
    """The first act of evaluating an expression, in Python's evaluation order."""
    if isinstance(node, cst.Name):
        return _First(_Act.READS_LATE, node.value) if node.value in late else _NOTHING
    if isinstance(node, cst.Attribute):
        return _first_of(node.value, late)
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float)):
        return _NOTHING
    if isinstance(node, cst.Call):
        parts: list[cst.CSTNode] = [node.func, *(arg.value for arg in node.args)]
    elif isinstance(node, cst.Await):
        parts = [node.expression]
    elif isinstance(node, cst.BooleanOperation):
        parts = [node.left, node.right]
    elif isinstance(node, (cst.Tuple, cst.List)):
        parts = [element.value for element in node.elements]
    else:
        return _EFFECT
    for part in parts:
        first = _first_of(part, late)
        if first.act is not _Act.NOTHING:
            return first
    return _EFFECT if isinstance(node, (cst.Call, cst.Await)) else _NOTHING


FINALIZER_BEFORE_RESOURCE = Rule(
    code="FXL101",
    name="finalizer-before-resource",
    summary="A finalizer is registered before a name it uses is bound",
    fix=FixSafety.SAFE,
    check=check,
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
and nothing in between could change the order in which finalizers run (they run in reverse
order of registration): no other registration, no `return`, `yield` or `break`, and no call
given `request` (a helper such as `remove_later(request, path)` or
`request.getfixturevalue(...)` may register finalizers of its own). Either the registration
always fails today (`UnboundLocalError`), or it registers the same object after the move (a
closure, a bound method of a plain name, `functools.partial` of plain names) and the
finalizer's first action reads a name bound by the last statement moved over, so today's
finalizer could not have cleaned anything up on a failure in between. Registrations inside
loops are left to FXL104.
""",
)
