"""FXL203 cleanup-in-except: ``try: yield ... except ValueError: cleanup()`` in a fixture.

pytest resumes the generator normally after the test, even a failed one, so the handler never
sees the test's failure: it is dead code, or it runs only for setup errors and then lets the
fixture end without yielding (read from the flow analysis, ``yield_flow``).
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from fixlint.cst_util import has_exit, names_bound, names_used, short_code, walk
from fixlint.fallible import NO_RETURN_CALLS, may_raise
from fixlint.imports import ImportTable
from fixlint.model import Fixture, Located, statement_path
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule
from fixlint.rules.yield_flow import YieldFlow, catches_ordinary_exceptions, first_statement, flow_of


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        flow: YieldFlow | None = None
        for node, located in _tries_around_a_yield(fixture):
            handlers = [h for h in node.handlers if catches_ordinary_exceptions(h, context.imports)]
            if not handlers:
                continue
            setup = _setup_that_may_raise(node, located)
            if setup is None:
                if not _teardown_may_raise(node, located):  # else the handler runs for teardown errors
                    yield from _dead_handler(fixture, node, handlers, context.imports)
                continue
            flow = flow or flow_of(fixture, context.imports)
            if flow is not None:
                for handler in handlers:
                    if _finishes_through(flow, handler):
                        message = _setup_only_message(fixture, node, handler, setup, located)
                        fix = None if _trivial(handler) else _finally_fix(node, handler, context.imports)
                        yield CLEANUP_IN_EXCEPT.finding(handler, message, fix)


def _dead_handler(
    fixture: Fixture, node: cst.Try, handlers: list[cst.ExceptHandler], imports: ImportTable
) -> Iterator[Finding]:
    """Nothing in the ``try`` can raise but the test, which pytest never throws in."""
    handler = next((h for h in handlers if not _trivial(h)), None)
    if handler is not None:
        message = _dead_message(fixture, node, handler)
        yield CLEANUP_IN_EXCEPT.finding(handler, message, _finally_fix(node, handler, imports))


def _tries_around_a_yield(fixture: Fixture) -> Iterator[tuple[cst.Try, Located]]:
    """Each ``try`` whose body holds exactly one of the fixture's yields, with that yield."""
    holders: dict[cst.Try, list[Located]] = {}
    for located in fixture.yields:
        chain = (*located.ancestors, located.node)
        for position, node in enumerate(chain[:-1]):
            if isinstance(node, cst.Try) and chain[position + 1] is node.body:
                holders.setdefault(node, []).append(located)
    for node, yields in holders.items():
        if len(yields) == 1:
            yield node, yields[0]


def _inside(node: cst.Try, located: Located) -> tuple[cst.CSTNode, ...]:
    """The yield's ancestors from ``node``'s body down, outermost first."""
    chain = (*located.ancestors, located.node)
    return chain[chain.index(node.body) :]


def _setup_that_may_raise(node: cst.Try, located: Located) -> cst.CSTNode | None:
    """The first statement (or header) in the ``try`` body that can raise before the yield."""
    below = _inside(node, located)
    for position, current in enumerate(below):
        if isinstance(current, cst.IndentedBlock):
            following = below[position + 1]
            for stmt in current.body:
                if stmt is following:
                    break
                if may_raise(stmt):
                    return stmt
        header = _header(current)
        if header is not None and may_raise(header):
            return current
    statement = next(s for s in reversed(below) if isinstance(s, cst.BaseSmallStatement))
    yield_node = located.node
    assert isinstance(yield_node, cst.Yield)
    if yield_node.value is not None and may_raise(yield_node.value):
        return statement
    return None


def _teardown_may_raise(node: cst.Try, located: Located) -> bool:
    """Can anything inside the ``try`` raise after the yield (so the handler does run)?"""
    below = _inside(node, located)
    for position, current in enumerate(below):
        if isinstance(current, cst.IndentedBlock):
            following = below[position + 1]
            index = next(i for i, stmt in enumerate(current.body) if stmt is following)
            if any(may_raise(stmt) for stmt in current.body[index + 1 :]):
                return True
        if isinstance(current, cst.Try):
            extra = [part for part in (current.orelse, current.finalbody) if part is not None]
            if any(may_raise(part) for part in extra):
                return True
    small = next(s for s in reversed(below) if isinstance(s, cst.BaseSmallStatement))
    value = small.value if isinstance(small, (cst.Expr, cst.Assign, cst.AnnAssign)) else None
    return value is not located.node and may_raise(small) and not isinstance(small, cst.Return)


def _header(node: cst.CSTNode) -> cst.CSTNode | None:
    if isinstance(node, cst.With):
        return cst.Tuple([cst.Element(item.item) for item in node.items])
    if isinstance(node, (cst.If, cst.While)):
        return node.test
    if isinstance(node, cst.For):
        return node.iter
    if isinstance(node, cst.Match):
        return node.subject
    return None


def _finishes_through(flow: YieldFlow, handler: cst.ExceptHandler) -> bool:
    """Can a path that entered ``handler`` before yielding finish the generator?"""
    return any(
        token.handler is handler and not token.doubtful and not (node is None and token.tail_call)
        for node, token in flow.finishing_paths()
    )


def _trivial(handler: cst.ExceptHandler) -> bool:
    """``except X: pass`` / ``...`` / bare ``raise``: nothing that a reader expects to run."""
    body = handler.body
    if not isinstance(body, cst.IndentedBlock):
        return False
    for stmt in body.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            return False
        for small in stmt.body:
            if isinstance(small, cst.Pass) or (isinstance(small, cst.Raise) and small.exc is None):
                continue
            if isinstance(small, cst.Expr) and isinstance(small.value, (cst.Ellipsis, cst.SimpleString)):
                continue
            return False
    return True


def _handler_label(handler: cst.ExceptHandler) -> str:
    return f"except {short_code(handler.type)}:" if handler.type is not None else "except:"


def _dead_message(fixture: Fixture, node: cst.Try, handler: cst.ExceptHandler) -> str:
    message = (
        f"`{_handler_label(handler)}` around `yield` in `{fixture.name}` never runs: after the test, even a "
        "failed one, pytest resumes the fixture normally and never throws the test's exception into it, "
        f"and nothing else in the `try` can raise, so `{first_statement(handler.body)}` is dead code"
    )
    if node.orelse is not None:
        message += (
            f"; the `else:` block (`{first_statement(node.orelse.body)}`) runs after every test, "
            "passed or failed"
        )
    return message


def _setup_only_message(
    fixture: Fixture, node: cst.Try, handler: cst.ExceptHandler, setup: cst.CSTNode, located: Located
) -> str:
    cleanup = "" if _trivial(handler) else f", so `{first_statement(handler.body)}` never runs then"
    unbound = sorted(names_used(handler.body) & _unbound_after(node, setup, located, fixture))
    if unbound:
        # Verified: the handler then raises UnboundLocalError (the setup error shows as its context).
        outcome = f"then it meets `{unbound[0]}` unbound and fails with UnboundLocalError"
    else:
        error = "StopAsyncIteration" if fixture.is_async else f"\"{fixture.name} did not yield a value\""
        outcome = f"then `{fixture.name}` ends without yielding: pytest reports {error}"
        outcome += " and the original error is lost"
    return (
        f"`{_handler_label(handler)}` around `yield` in `{fixture.name}` does not run after the test, even a "
        "failed one (pytest resumes the fixture normally and never throws the test's exception into it)"
        f"{cleanup}; it runs only if `{short_code(setup)}` raises during setup, and {outcome}"
    )


def _unbound_after(node: cst.Try, setup: cst.CSTNode, located: Located, fixture: Fixture) -> set[str]:
    """Names the ``try`` body binds from ``setup`` on, and nothing before the ``try`` binds:
    unbound in the handler when ``setup`` raises."""
    assert isinstance(node.body, cst.IndentedBlock)
    late: set[str] = set()
    for stmt in node.body.body:
        if late or stmt is setup or any(n is setup for n in walk(stmt)):
            late |= names_bound(stmt)
    earlier: set[str] = set(fixture.parameters)
    for step in statement_path(located) or ():
        if step.owner is node:
            break
        for stmt in step.before:
            earlier |= names_bound(stmt)
    return late - earlier


def _finally_fix(node: cst.Try, handler: cst.ExceptHandler, imports: ImportTable) -> Fix | None:
    """``try: yield x except E: cleanup()`` -> ``try: yield x finally: cleanup()`` (unsafe)."""
    if len(node.handlers) != 1 or node.orelse is not None or node.finalbody is not None:
        return None
    body = handler.body
    if not isinstance(body, cst.IndentedBlock):
        return None
    statements = list(body.body)
    last = statements[-1]
    if (
        isinstance(last, cst.SimpleStatementLine)
        and len(last.body) == 1
        and isinstance(last.body[0], cst.Raise)
        and last.body[0].exc is None
        and not any(line.comment for line in last.leading_lines)
        and last.trailing_whitespace.comment is None
    ):
        statements.pop()  # a bare re-raise: ``finally`` lets the exception go on by itself
    if not statements:
        return None
    if has_exit(statements, yields=True):
        return None
    for current in (part for statement in statements for part in walk(statement)):
        if isinstance(current, cst.Raise):
            return None
        if isinstance(current, cst.Call) and imports.qualified_name_of(current.func) in NO_RETURN_CALLS:
            return None  # ``pytest.skip()`` in ``finally`` would skip every test at teardown
    if handler.name is not None and names_used(cst.IndentedBlock(body=statements)) & names_bound(handler):
        return None
    final = cst.Finally(
        leading_lines=handler.leading_lines,
        whitespace_before_colon=handler.whitespace_before_colon,
        body=body.with_changes(body=statements),
    )
    return Fix(
        FixSafety.UNSAFE,
        "Turn the `except` handler into `finally` (it then runs after every test)",
        node,
        node.with_changes(handlers=(), finalbody=final),
    )


CLEANUP_IN_EXCEPT = Rule(
    code="FXL203",
    name="cleanup-in-except",
    summary="An `except` around `yield` never sees the test's failure: pytest does not throw it in",
    fix=FixSafety.UNSAFE,
    check=check,
    explanation="""\
## What it does
Flags an `except SomeError:` handler (any `Exception` subclass) of a `try` whose body holds
the fixture's `yield`, in sync and async generator fixtures, in two situations:

- nothing else in the `try` body can raise: the handler is dead code, and an `else:` clause
  on the same `try` runs after every test;
- setup code in the `try` body before the `yield` can raise, and the handler then lets the
  fixture finish without yielding: the handler runs only for setup errors, and it turns them
  into pytest's "did not yield a value".

Not flagged: `except BaseException:`, a bare `except:`, `except GeneratorExit:` (these see
the generator being closed); `finally:` and `with` (they do run); a handler of setup code
that ends by raising, skipping or failing (`except ConnectionError: pytest.skip(...)`):
that is ordinary setup error handling, and it works; a handler that can catch errors of
teardown code inside the same `try` (`try: yield conn; conn.commit() except DBError:
conn.rollback()`). For a dead handler whose body is only `pass` or a bare `raise`, nothing
is reported.

## Why is this bad?
When the test fails, pytest does not throw the test's exception into the fixture: it
resumes the generator with `next()` exactly as after a passing test (checked with pytest
9.2, and for async fixtures with pytest-asyncio 1.5, anyio 4 and pytest-trio 0.8). So:

- `except Exception: rollback()` around `yield` never rolls back, and
  `else: commit()` commits after failed tests too;
- cleanup written only in the handler never runs at all, and the resource leaks after every
  test.

When the `try` body also holds setup code that can raise, the handler does run, but only for
setup errors. If it does not re-raise, the generator then finishes without yielding, pytest
fails the setup with "<fixture> did not yield a value", and the setup error itself is lost:
it was caught by the handler and never reaches the report. So this is still a bug, and the
message names the setup statement that leads into the handler.

To act on the test's outcome, a fixture must ask for it, e.g. with a
`pytest_runtest_makereport` hook that stores the report on the item (see pytest's
"Making test result information available in fixtures").

## Example
```python
@pytest.fixture
def session(db):
    tx = db.begin()
    try:
        yield tx
    except Exception:
        tx.rollback()
```

## Use instead
```python
@pytest.fixture
def session(db):
    tx = db.begin()
    try:
        yield tx
    finally:
        tx.rollback()
```

## Fix safety
When the `try` has a single handler and no `else`/`finally`, the fix turns the handler into
`finally` (dropping a final bare `raise`, which `finally` does by itself). It is unsafe: the
cleanup now runs after every test, including passing ones, which is usually what was meant
but changes what passing runs do. No fix when the handler uses the exception (`as exc`),
contains `return`, `break`, `continue`, `yield` or another `raise`, or only `pass`es.
""",
)
