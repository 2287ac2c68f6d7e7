"""FXL104 finalizer-late-binding: a closure registered in a loop reads the loop's variables only
at teardown, so every finalizer registered by the loop cleans up the last round's object.

The fix binds the captured names as default arguments, evaluated when the closure is created.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from fixlint.cst_util import SCOPES, assigned_names, children, names_bound, short_code
from fixlint.model import Finalizer, Fixture, Located, Step, statement_path
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule
from fixlint.rules.finalizer_common import bound_by, free_names, local_defs, loops, quote_names


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        defs = local_defs(fixture)
        for finalizer in fixture.finalizers:
            finding = _check_finalizer(fixture, finalizer, defs)
            if finding is not None:
                yield finding


def _check_finalizer(
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
    around = [loop for loop in loops(finalizer.call) if not _runs_once(loop)]
    if not around:
        return None
    varying = set().union(*(_varying(loop) for loop in around))
    captured = free_names(closure.params, closure.body) & varying
    path = statement_path(finalizer.call)
    if not captured or path is None or _registers_once(path, around[-1]):
        return None
    message = (
        f"the {kind} registered in `{short_code(around[-1])}` reads {quote_names(captured)} only when pytest "
        f"calls it at teardown, after the loop has ended: every finalizer registered here sees the last "
        f"value, and the earlier ones are never cleaned up"
    )
    return FINALIZER_LATE_BINDING.finding(
        finalizer.call.node, message, _fix(fixture, path, around, closure, captured)
    )


def _runs_once(loop: cst.CSTNode) -> bool:
    """``for item in (only_one,):``: one round, so there is no "last value" to share."""
    if not isinstance(loop, cst.For) or not isinstance(loop.iter, (cst.Tuple, cst.List)):
        return False
    elements = loop.iter.elements
    return len(elements) == 1 and not isinstance(elements[0], cst.StarredElement)


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


def _fix(
    fixture: Fixture,
    path: list[Step],
    around: list[cst.CSTNode],
    closure: cst.Lambda | cst.FunctionDef,
    captured: set[str],
) -> Fix | None:
    """Bind each captured name as a default argument, evaluated when the closure is created."""
    if not _defaults_can_be_added(closure.params):
        return None
    if isinstance(closure, cst.FunctionDef):
        located = _locate(fixture.function, closure)
        if located is None or around[-1] not in located.ancestors:
            return None  # defined outside the loop: a default would be evaluated once, too early
        where = statement_path(located)
    else:
        where = path
    if where is None or _rebound_later(where, around, captured):
        return None
    params = [*closure.params.params, *(_default_param(name) for name in sorted(captured))]
    new = closure.with_changes(params=closure.params.with_changes(params=params))
    return Fix(FixSafety.SAFE, f"Bind {quote_names(captured)} as default arguments", closure, new)


def _defaults_can_be_added(params: cst.Parameters) -> bool:
    return (
        not params.posonly_params
        and not params.kwonly_params
        and not isinstance(params.star_arg, (cst.Param, cst.ParamStar))
        and params.star_kwarg is None
        and all(param.default is not None for param in params.params)
    )


def _rebound_later(path: list[Step], around: list[cst.CSTNode], captured: set[str]) -> bool:
    """Is a captured name bound again later in the same round? Then the value at creation time is
    not the one the round ends with, and a default would pick a different object."""
    owners = [step.owner for step in path]
    levels = [owners.index(loop) for loop in around if loop in owners]
    start = min(levels) if levels else len(path) - 1
    return any(captured & bound_by(statement) for step in path[start:] for statement in step.after)


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


FINALIZER_LATE_BINDING = Rule(
    code="FXL104",
    name="finalizer-late-binding",
    summary="A finalizer closure registered in a loop sees only the loop's last value",
    fix=FixSafety.SAFE,
    check=check,
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
