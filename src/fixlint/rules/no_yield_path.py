"""FXL205 no-yield-path: a generator fixture can finish without yielding.

Reads the flow analysis (``yield_flow``): every yield-less path that reaches a ``return`` or
the end of the body is a candidate; it is reported only when it is written out in the code
(see ``_reportable``), not when it needs a loop to run dry or a parameter dispatch to miss.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from fixlint.cst_util import short_code
from fixlint.imports import ImportTable
from fixlint.model import Fixture, statement_path
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule
from fixlint.rules.yield_flow import Token, catches_ordinary_exceptions, flow_of


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        flow = flow_of(fixture, context.imports)
        if flow is None:
            continue
        reported: set[int] = set()
        for node, token in flow.finishing_paths():
            if not _reportable(node, token, context.imports):
                continue
            anchor = node if node is not None else token.where or fixture.function.name
            if id(anchor) not in reported:
                reported.add(id(anchor))
                message = _finish_message(fixture, node, token)
                yield NO_YIELD_PATH.finding(anchor, message, _return_fix(fixture, node))


def _reportable(node: cst.Return | None, token: Token, imports: ImportTable) -> bool:
    if token.doubtful:
        return False  # the path needs a loop to run dry or a parameter dispatch to miss
    if token.handler is not None and catches_ordinary_exceptions(token.handler, imports):
        return False  # an ``except`` around the yield itself: FXL203 reports it
    return node is not None or not token.tail_call  # a helper at the end may skip or raise


def _finish_message(fixture: Fixture, node: cst.Return | None, token: Token) -> str:
    when = f" {token.why}" if token.why else ""
    error = f"\"{fixture.name} did not yield a value\""
    if fixture.is_async:
        error = "an error (\"StopAsyncIteration\")"
    if node is not None:
        what = f"`{fixture.name}` reaches `{short_code(node)}` before any `yield`{when}"
    else:
        what = f"`{fixture.name}` ends without reaching `yield`{when}"
    advice = "use `pytest.skip(...)` to skip the test, or raise the real error"
    if node is not None and node.value is not None and not fixture.is_async:
        advice = f"yield `{short_code(node.value)}` to hand it to the test, or use `pytest.skip(...)`"
    return f"{what}: pytest fails the setup of every test that uses it with {error}; {advice}"


def _return_fix(fixture: Fixture, node: cst.Return | None) -> Fix | None:
    """``return value`` -> ``yield value`` + ``return``: the test gets the value (unsafe)."""
    if node is None or node.value is None or fixture.is_async:
        return None
    located = next((r for r in fixture.returns if r.node is node), None)
    path = statement_path(located) if located is not None else None
    if not path:
        return None
    step = path[-1]
    line = step.statement
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    yield_line = line.with_changes(body=[cst.Expr(cst.Yield(value=node.value))])
    return_line = cst.SimpleStatementLine(body=[cst.Return()])
    body = list(step.block.body)
    body[step.index : step.index + 1] = [yield_line, return_line]
    return Fix(
        FixSafety.UNSAFE,
        f"Yield `{short_code(node.value)}` instead of returning it",
        step.block,
        step.block.with_changes(body=body),
    )


NO_YIELD_PATH = Rule(
    code="FXL205",
    name="no-yield-path",
    summary="A generator fixture can finish without yielding, so pytest fails its setup",
    fix=FixSafety.UNSAFE,
    check=check,
    explanation="""\
## What it does
Flags a generator fixture (one with a `yield` anywhere in its body) that can finish
without yielding: a `return` reached before any `yield`, or a branch written in the code
(an `else:`, an `except` handler, an `if` without `else`) that falls off the end of the
function without a `yield`.

Not flagged: branches that end in `raise`, `pytest.skip(...)`, `pytest.fail(...)`,
`pytest.xfail(...)`, `pytest.exit(...)` or `sys.exit(...)` (they never finish normally);
`pytest.importorskip(...)` (it returns the module or skips); a branch that ends in a call to a
helper function of yours, which may skip or raise; a loop that might run out of items before
it yields; an `if`/`elif` chain without `else` that dispatches on `request.param` or on
another fixture's value (the parameters usually cover every branch); inside a `for` loop, a
branch on the loop's item (`if future is started: yield ... elif future is done: return`),
since which item comes first is data. An `except` handler around the `yield` itself is
reported by FXL203 instead.

## Why is this bad?
Any `yield` in the body makes the function a generator, whether or not it is reached. pytest
starts the generator for setup and expects a value; if the generator finishes first, setup
fails with "<fixture> did not yield a value" (async fixtures: `StopAsyncIteration`) and every
test using the fixture errors. A `return value` before the `yield` does not hand `value` to
the test: in a generator it only ends the generator. When the branch was written to handle a
missing dependency, the intended outcome was usually a skip.

## Example
```python
@pytest.fixture
def docker_client():
    if shutil.which("docker") is None:
        return None
    client = DockerClient()
    yield client
    client.close()
```

## Use instead
```python
@pytest.fixture
def docker_client():
    if shutil.which("docker") is None:
        pytest.skip("docker is not installed")
    client = DockerClient()
    yield client
    client.close()
```
or, to hand the test `None`, `yield None` followed by `return`.

## Fix safety
For `return value` in a sync fixture, the fix replaces it with `yield value` followed by
`return`, so the test receives `value` as the author apparently intended. It is unsafe: tests
that errored at setup now run with that value. There is no fix for a bare `return` or a
branch that falls off the end (skip or raise: fixlint cannot choose).
""",
)
