"""FXL204 multiple-yields: a generator fixture can reach a second ``yield``.

Reads the flow analysis (``yield_flow``): a yield is reported when a loop that comes round
(``yield_flow.second_pass``) brings a yield back to it with no decision on the way, when it
follows an earlier yield with no decision in between, or when every path that reaches it has
yielded already. Loops that delegate to a generator (``for x in helper(): yield x``) do not
count as coming round.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from fixlint.cst_util import short_code
from fixlint.model import Fixture
from fixlint.rules.base import FileContext, Finding, Rule
from fixlint.rules.yield_flow import Loop, YieldFlow, flow_of, generator_functions, second_pass


def check(context: FileContext) -> Iterator[Finding]:
    generators: frozenset[str] | None = None
    for fixture in context.fixtures:
        if not fixture.is_generator:
            continue
        if generators is None:
            generators = generator_functions(context.module)
        flow = flow_of(fixture, context.imports, generators)
        if flow is None:
            continue
        for located in fixture.yields:
            node = located.node
            assert isinstance(node, cst.Yield)
            message = _second_yield(fixture, flow, node)
            if message is not None:
                yield MULTIPLE_YIELDS.finding(node, message)


def _second_yield(fixture: Fixture, flow: YieldFlow, node: cst.Yield) -> str | None:
    """Why ``node`` can be a second yield: a loop brings it round again, it follows an earlier
    yield with no decision in between, or every path that reaches it has yielded already."""
    tokens = list(flow.incoming.get(node, {}).values())
    for token in tokens:
        loop = flow.came_round(token, node)
        if loop is not None and token.last_yield is not None:
            return _loop_message(fixture, node, token.last_yield, loop, flow)
    earlier = [token.last_yield for token in tokens if token.last_yield is not None]
    if not earlier:
        return None
    first = next((t.last_yield for t in tokens if t.fresh and t.last_yield is not None), None)
    if first is None and len(earlier) < len(tokens):
        return None  # some paths reach this yield first: which one runs may depend on correlated tests
    first = first or earlier[0]
    return (
        f"`{fixture.name}` reaches `{short_code(node)}` after `{short_code(first)}` has already run: "
        f"pytest errors at teardown with {_teardown_error(fixture)}, after the code between the two "
        "yields has run and before the rest of the teardown; a fixture provides exactly one value"
    )


def _loop_message(fixture: Fixture, node: cst.Yield, previous: cst.Yield, loop: Loop, flow: YieldFlow) -> str:
    when = second_pass(loop, flow.generators)
    again = "again" if previous is node else f"after `{short_code(previous)}`"
    return (
        f"`{short_code(node)}` in `{fixture.name}` is inside the loop `{_loop_header(loop)}` and runs "
        f"{again} {when}: pytest then errors at teardown with {_teardown_error(fixture)}, after the code "
        "between the two yields has run and before the rest of the teardown"
    )


def _loop_header(loop: Loop) -> str:
    if isinstance(loop, cst.While):
        return f"while {short_code(loop.test, 40)}:"
    prefix = "async " if loop.asynchronous is not None else ""
    return f"{prefix}for {short_code(loop.target, 20)} in {short_code(loop.iter, 40)}:"


def _teardown_error(fixture: Fixture) -> str:
    if fixture.is_async:
        return "an error (pytest-asyncio: \"Async generator fixture didn't stop\")"
    return "\"fixture function has more than one 'yield'\""


MULTIPLE_YIELDS = Rule(
    code="FXL204",
    name="multiple-yields",
    summary="A yield fixture can reach a second `yield`, which pytest reports as an error at teardown",
    fix=None,
    check=check,
    explanation="""\
## What it does
Flags a `yield` in a fixture that can run after another `yield` of the same fixture: two
yields one after the other, a `yield` after an `if` whose branch already yielded without
returning, or a `yield` inside a loop that comes back to it.

A loop is flagged only when the code after the `yield` can go round the loop and reach a
`yield` again without any decision on the way (no `if`, no `except`, no `break` or `return`
on that path), and the loop does come round: `while True:`, a `for` over a tuple, list or
`range()` of two items or more, or a `for` over anything else once it has a second item
(the message says which).

Not flagged: yields in exclusive branches (`if`/`else`, `try` body and handler); a loop in
which every path after the `yield` leaves the loop (`break`, `return`, `raise`), as in a retry
loop; a loop whose next pass reaches the `yield` only through a branch (`if f is ready:`),
which may not be taken again; a `while` loop with a condition other than `True` (the body may
make it false); a `for` over a one-item tuple or list; delegation to a generator: `yield from helper()`,
`for x in helper(): yield x` (the loop's whole body; the async spelling
`async for x in helper(): yield x` too), or any `for` loop over a generator function defined
in the same file, which ends after one pass when the helper yields once; and yields under two
separate `if` statements whose conditions may exclude each other (fixlint cannot tell, so it
stays quiet).

## Why is this bad?
A fixture provides exactly one value. pytest runs a generator fixture up to its first
`yield` for setup, and at teardown resumes it once, expecting it to finish. If it reaches a
second `yield` instead, pytest reports an error at teardown ("fixture function has more
than one 'yield'"; pytest-asyncio: "Async generator fixture didn't stop", anyio and
pytest-trio report their own variants). By then the code between the two yields has run,
the test has already passed or failed with the first value, and the teardown after the
second `yield` never runs. A loop around `yield` fails this way as soon as it has a second
item. Delegating is fine: checked with pytest 9.2 (also with `-W error`), a fixture doing
`for x in helper(): yield x` over a helper that yields once passes, and the helper's code
after its `yield` runs at teardown.

## Example
```python
@pytest.fixture
def user(db):
    for name in ("alice", "bob"):
        account = db.create_user(name)
        yield account
        db.delete_user(account)
```

## Use instead
One value per fixture; parametrize the fixture to run the test once per value:
```python
@pytest.fixture(params=["alice", "bob"])
def user(db, request):
    account = db.create_user(request.param)
    yield account
    db.delete_user(account)
```
or yield all the values at once (a tuple or a dict) from a single `yield`.

## Fix safety
There is no fix: which value the tests meant to get is a design decision.
""",
)
