"""FXL207 manual-enter: ``cm.__enter__()`` with no ``__exit__`` anywhere the fixture could run it.

The context manager is never exited. The fix wraps the rest of the block, through the
``yield``, in ``with cm as x:``.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from fixlint.cst_util import names_bound, root_name, short_code, simple_assignment, strip_await
from fixlint.model import Fixture, Located, statement_path
from fixlint.ownership import EXIT_METHODS, aliases, handed_elsewhere
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule



def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        for located in fixture.dunder_calls:
            call = located.node
            assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
            method = call.func.attr.value
            if method not in ("__enter__", "__aenter__") or call.args or not _runs(located, method):
                continue
            receiver = call.func.value
            if not _fresh_receiver(receiver, fixture):
                continue
            names = aliases(fixture, _names_for(receiver, located))
            if handed_elsewhere(fixture, names) or _exited_by_requester(context, fixture):
                continue
            exit_method = "__aexit__" if method == "__aenter__" else "__exit__"
            never = f"its `{exit_method}()`"
            if isinstance(receiver, cst.Name):
                never = f"`{receiver.value}.{exit_method}()`"
            yield MANUAL_ENTER.finding(
                call,
                f"`{fixture.name}` calls `{short_code(call)}` but never {never}, neither in the teardown "
                "nor in a finalizer: the context manager is never exited, so what it set up stays in "
                "place after the test",
                _with_fix(fixture, located, method),
            )


def _runs(located: Located, method: str) -> bool:
    """``cm.__aenter__()`` only builds a coroutine: it enters when awaited or handed to a runner
    (``loop.run_until_complete(cm.__aenter__())``), not as a bare statement."""
    if method == "__enter__":
        return True
    return isinstance(located.ancestors[-1], (cst.Await, cst.Arg))


def _fresh_receiver(receiver: cst.BaseExpression, fixture: Fixture) -> bool:
    """A context manager this fixture creates: ``Client(app).__enter__()``, or a local name
    (not a parameter, whose fixture may exit it, nor an attribute another hook may exit)."""
    if isinstance(receiver, cst.Call):
        return True
    if not isinstance(receiver, cst.Name) or receiver.value in fixture.parameters:
        return False
    return receiver.value in names_bound(fixture.function.body)


def _names_for(receiver: cst.BaseExpression, located: Located) -> set[str]:
    """The names that hold the context manager: the receiver, and ``x`` in ``x = cm.__enter__()``."""
    names = {receiver.value} if isinstance(receiver, cst.Name) else set()
    statement = _statement_of(located)
    assignment = simple_assignment(statement) if statement is not None else None
    if assignment is not None and strip_await(assignment[1]) is located.node:
        names.update(assignment[0])
    return names


def _statement_of(located: Located) -> cst.SimpleStatementLine | None:
    for node in reversed(located.ancestors):
        if isinstance(node, cst.SimpleStatementLine):
            return node
    return None


def _exited_by_requester(context: FileContext, fixture: Fixture) -> bool:
    """Another fixture in this file requests this one and exits the value it gets
    (``def stopper(server): yield; server.__exit__(None, None, None)``)."""
    for other in context.fixtures:
        if fixture.name not in other.parameters:
            continue
        for located in other.dunder_calls:
            func = located.node.func  # type: ignore[attr-defined]
            if func.attr.value in EXIT_METHODS and root_name(func.value) == fixture.name:
                return True
    return False


def _with_fix(fixture: Fixture, located: Located, method: str) -> Fix | None:
    """``x = cm.__enter__()`` + the rest of its block -> ``with cm as x:`` + that rest, when the
    single ``yield`` is in that rest and the enter statement is exactly one of the four forms."""
    path = statement_path(located)
    if path is None or len(fixture.yields) != 1:
        return None
    step = path[-1]
    form = _enter_form(step.statement, located.node, method, fixture.is_async)
    if form is None:
        return None
    if any(isinstance(level.owner, (cst.For, cst.While)) for level in path):
        return None
    yield_path = statement_path(fixture.yields[0])
    if yield_path is None or not any(
        level.block is step.block and level.index > step.index for level in yield_path
    ):
        return None
    target, awaited = form
    call = located.node
    assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
    statement = step.statement
    assert isinstance(statement, cst.SimpleStatementLine)
    new_with = cst.With(
        items=[cst.WithItem(item=call.func.value, asname=cst.AsName(name=target) if target else None)],
        body=cst.IndentedBlock(body=list(step.after), header=statement.trailing_whitespace),
        asynchronous=cst.Asynchronous() if awaited else None,
        leading_lines=statement.leading_lines,
    )
    new_block = step.block.with_changes(body=[*step.before, new_with])
    subject = short_code(call.func.value)
    return Fix(
        FixSafety.UNSAFE,
        f"Enter `{subject}` with a `with` block around the `yield`, so it is exited at teardown",
        step.block,
        new_block,
    )


def _enter_form(
    statement: cst.BaseStatement, call: cst.CSTNode, method: str, is_async: bool
) -> tuple[cst.Name | None, bool] | None:
    """``(x, awaited)`` for ``x = cm.__enter__()`` / ``cm.__enter__()`` / ``x = await
    cm.__aenter__()`` / ``await cm.__aenter__()``; None for anything else."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    target: cst.Name | None = None
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        if not isinstance(small.targets[0].target, cst.Name):
            return None
        target, value = small.targets[0].target, small.value
    elif isinstance(small, cst.Expr):
        value = small.value
    else:
        return None
    awaited = isinstance(value, cst.Await)
    if strip_await(value) is not call or awaited != (method == "__aenter__"):
        return None
    if awaited and not is_async:
        return None
    return target, awaited


MANUAL_ENTER = Rule(
    code="FXL207",
    name="manual-enter",
    summary="A fixture calls `__enter__()` on a context manager and never calls `__exit__()`",
    fix=FixSafety.UNSAFE,
    check=check,
    explanation="""\
## What it does
Flags `cm.__enter__()` (or `await cm.__aenter__()`) in a fixture when nothing can exit that
context manager: no `__exit__`/`__aexit__` on it, or on the name its `__enter__()` result was
bound to, anywhere in the fixture (its teardown, a `try`/`finally`, a finalizer function
defined inside it); no finalizer that uses it; no release call on it (`p.stop()`,
`client.close()`, ...); and it is not stored where other code could exit it (an attribute,
a subscript, a list, `ExitStack.push`).

Only context managers the fixture creates are checked: `Client(app).__enter__()` or a local
variable. A parameter (another fixture's value, which that fixture may exit) or an attribute
such as `self.cm` (which `teardown_method` may exit) is left alone.

## Why is this bad?
Calling `__enter__()` by hand drops what `with` guarantees: nothing calls `__exit__()`, not
at teardown and not when setup fails. Whatever the context manager set up stays in place
for the rest of the session. Checked with pytest 9.2: a fixture doing
`p = mock.patch("os.getcwd", return_value="/fake"); m = p.__enter__(); yield m` leaves the
patch active, and a later test that never requested the fixture still sees
`os.getcwd() == "/fake"`. (`mock.patch.stopall()` does not help either: it stops only
patches started with `.start()`.)

## Example
```python
@pytest.fixture
def client(app):
    c = TestClient(app).__enter__()
    c.login("admin")
    yield c
```

## Use instead
```python
@pytest.fixture
def client(app):
    with TestClient(app) as c:
        c.login("admin")
        yield c
```
`contextlib.ExitStack` (`stack.enter_context(cm)`) is the tool when the number of context
managers is only known at run time.

## Fix safety
The fix wraps the rest of the block in `with cm as x:` (`async with` for `__aenter__`) and is
unsafe: the context manager now exits after the test and when setup fails, which changes what
happens after every test (a server stops, a patch is undone), and an `__exit__` may raise or
swallow an exception raised in its block. It is offered only when the rewrite is exact: the
statement is `x = cm.__enter__()`, `cm.__enter__()`, `x = await cm.__aenter__()` or
`await cm.__aenter__()` on its own line, not in a loop, and the fixture's only `yield` comes
after it in the same block (or a block nested in it). Everything after the enter statement in
that block (the rest of the setup, the `yield`, the teardown) moves into the `with`, so the
exit runs after the remaining teardown, as it would for a `with` written by hand.
""",
)
