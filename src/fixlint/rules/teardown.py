"""FXL202 teardown-step-skipped and FXL203 cleanup-in-except: teardown that does not run.

FXL202: after ``yield``, ``a.close()`` then ``b.close()`` in one block: if the first raises,
the second never runs. The fix nests the steps in ``try``/``finally`` in the same order.

FXL203: ``try: yield ... except ValueError: cleanup()``: pytest resumes the generator
normally after the test, even a failed one, so the handler never sees the test's failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from fixlint.cst_util import (
    lift_blank_lines,
    code_of,
    dotted_name,
    names_bound,
    names_used,
    short_code,
    single_call,
    strip_await,
    walk,
)
from fixlint.fallible import NO_RETURN_CALLS, is_fallible, may_raise
from fixlint.imports import ImportTable
from fixlint.model import Fixture, Located, statement_path
from fixlint.resources import is_release_name
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule
from fixlint.rules.yield_paths import YieldFlow, catches_ordinary_exceptions, flow_of

# Release methods that do not raise: a step like this cannot skip the ones after it.
NEVER_RAISING_RELEASES = frozenset({"cancel"})
_DOTTED = re.compile(r"[\w.]+")


# ---------------------------------------------------------------- FXL202 teardown-step-skipped


@dataclass(frozen=True)
class _Release:
    index: int  # position in the block
    statement: cst.BaseStatement
    names: tuple[str, ...]  # what is released, by dotted name: ``conn``; ``volume`` and ``driver``
    fallible: bool
    call: cst.BaseStatement  # the statement that releases (inside ``statement`` when it is an ``if``)

    @property
    def resource(self) -> str:
        return self.names[0]

    def same_as(self, other: _Release) -> bool:
        """Do the two steps release the same thing (or parts of one thing)?"""
        return any(_related(a, b) for a in self.names for b in other.names)


def check_teardown_steps(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        reported: set[int] = set()
        for block, start in _teardown_blocks(fixture):
            finding = _check_block(fixture, block, start, context.imports)
            if finding is not None and id(finding.node) not in reported:
                reported.add(id(finding.node))
                yield finding


def _teardown_blocks(fixture: Fixture) -> Iterator[tuple[cst.IndentedBlock, int]]:
    """Blocks of teardown code, each with the index its teardown part starts at: what follows
    the statement holding a yield at every level, ``finally`` bodies around a yield, and the
    blocks nested in those statements (``if``, ``with``, ``for`` bodies...)."""
    for located in fixture.yields:
        for step in statement_path(located) or ():
            yield step.block, step.index + 1
            owner = step.owner
            if isinstance(owner, cst.Try) and owner.finalbody is not None and step.block is owner.body:
                final = owner.finalbody.body
                if isinstance(final, cst.IndentedBlock):
                    yield final, 0
            for stmt in step.after:
                for node in walk(stmt):
                    if isinstance(node, cst.IndentedBlock):
                        yield node, 0


def _check_block(
    fixture: Fixture, block: cst.IndentedBlock, start: int, imports: ImportTable
) -> Finding | None:
    releases = [
        release
        for index in range(start, len(block.body))
        if (release := _release_at(block.body[index], index, imports)) is not None
    ]
    for position, first in enumerate(releases):
        if not first.fallible:
            continue
        skipped = [
            r
            for r in releases[position + 1 :]
            if not r.same_as(first) and not _bound_between(block, first, r)
        ]
        if not skipped:
            continue
        return TEARDOWN_STEP_SKIPPED.finding(
            first.statement,
            _skipped_message(fixture, first, skipped),
            _nest_fix(block, releases[position:]),
        )
    return None


def _bound_between(block: cst.IndentedBlock, first: _Release, later: _Release) -> bool:
    """``a.close(); b = connect(); b.close()``: when ``a.close()`` raises, ``b`` does not exist yet."""
    roots = {name.split(".")[0] for name in later.names}
    return any(roots & names_bound(stmt) for stmt in block.body[first.index + 1 : later.index])


def _skipped_message(fixture: Fixture, first: _Release, skipped: list[_Release]) -> str:
    steps = _and([f"`{short_code(r.call)}`" for r in skipped])
    verb = "runs" if len(skipped) == 1 else "run"
    names = list(dict.fromkeys(r.resource for r in skipped if _DOTTED.fullmatch(r.resource)))
    left = ""
    if names:
        left = f", so {_and([f'`{n}`' for n in names])} {'is' if len(names) == 1 else 'are'} not cleaned up"
    return (
        f"In the teardown of `{fixture.name}`, if `{short_code(first.call)}` raises, {steps} never "
        f"{verb}{left}: one failing teardown step skips the rest"
    )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _release_at(stmt: cst.BaseStatement, index: int, imports: ImportTable) -> _Release | None:
    """A teardown statement that releases one named resource: ``conn.close()``,
    ``await srv.stop()``, ``shutil.rmtree(workdir)``, or ``if p.poll() is None: p.kill()``."""
    if isinstance(stmt, cst.SimpleStatementLine):
        if len(stmt.body) != 1 or not isinstance(stmt.body[0], cst.Expr):
            return None
        call = strip_await(stmt.body[0].value)
        if not isinstance(call, cst.Call):
            return None
        names = _released_names(call, imports)
        if not names:
            return None
        fallible = is_fallible(stmt) and not _ignores_errors(call) and not _never_raises(call)
        return _Release(index, stmt, names, fallible, stmt)
    if isinstance(stmt, cst.If) and stmt.orelse is None and isinstance(stmt.body, cst.IndentedBlock):
        # ``if proc.poll() is None: proc.kill(); proc.wait()``: calls on one resource, one a release.
        inner = [_release_at(s, i, imports) for i, s in enumerate(stmt.body.body)]
        first = next((r for r in inner if r is not None), None)
        if first is None or not all(_acts_on(s, first.names) for s in stmt.body.body):
            return None
        return _Release(index, stmt, first.names, True, first.call)
    return None


def _acts_on(stmt: cst.BaseStatement, names: tuple[str, ...]) -> bool:
    """Is ``stmt`` a call statement on one of ``names`` (or on something inside it)?"""
    call = single_call(stmt)
    if call is None or not isinstance(call.func, cst.Attribute):
        return False
    receiver = dotted_name(call.func.value)
    return receiver is not None and any(_related(receiver, name) for name in names)


def _released_names(call: cst.Call, imports: ImportTable) -> tuple[str, ...]:
    """What a releasing call releases, most specific first: ``conn.close()`` -> conn;
    ``shutil.rmtree(path)`` / ``rmtree(path)`` -> path; ``driver.remove(volume)`` -> volume, driver."""
    func = call.func
    if not isinstance(func, (cst.Attribute, cst.Name)) or not is_release_name(func):
        return ()
    first_arg = next((arg.value for arg in call.args if arg.keyword is None and not arg.star), None)
    argument = _identity(first_arg)
    if isinstance(func, cst.Name):
        return (argument,) if argument else ()
    receiver = dotted_name(func.value)
    if receiver is None:
        return ()
    if argument is None:
        return (receiver,)
    if receiver.split(".")[0] in imports.names:
        return (argument,)  # a module function (``os.remove(path)``): the argument is released
    return (argument, receiver)


def _identity(argument: cst.BaseExpression | None) -> str | None:
    """How an argument names a resource: ``conn``, ``self.path``; an expression such as
    ``base + "/key.pem"`` by its text. Flags and timeouts (``None``, ``True``, ``5``) name nothing."""
    if argument is None or isinstance(argument, (cst.Integer, cst.Float)):
        return None
    if isinstance(argument, cst.Name) and argument.value in ("None", "True", "False"):
        return None
    return dotted_name(argument) or " ".join(code_of(argument).split())


def _ignores_errors(call: cst.Call) -> bool:
    """``shutil.rmtree(path, ignore_errors=True)`` does not raise."""
    return any(
        arg.keyword is not None and arg.keyword.value == "ignore_errors"
        and isinstance(arg.value, cst.Name) and arg.value.value == "True"
        for arg in call.args
    )


def _never_raises(call: cst.Call) -> bool:
    """``task.cancel()`` / ``timer.cancel()``: cancelling only requests, it does not fail."""
    return isinstance(call.func, cst.Attribute) and call.func.attr.value in NEVER_RAISING_RELEASES


def _related(a: str, b: str) -> bool:
    """The same resource or one inside the other (``app.db`` and ``app``)."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _nest_fix(block: cst.IndentedBlock, releases: list[_Release]) -> Fix | None:
    """``a.close(); b.close(); c.close()`` -> try: a.close() finally: try: b.close() finally: ...

    Each group is a release and what follows it up to the next release of another resource, so
    on the success path the same statements run in the same order."""
    groups: list[list[cst.BaseStatement]] = []
    current: _Release | None = None
    first, last = releases[0].index, releases[-1].index
    starts: set[int] = set()
    for release in releases:
        if current is None or not release.same_as(current):
            starts.add(release.index)
            current = release
    for index in range(first, last + 1):
        if index in starts:
            groups.append([])
        groups[-1].append(block.body[index])
    if not _movable(groups):
        return None
    nested = groups[-1]
    for group in reversed(groups[:-1]):
        try_lines, try_body = lift_blank_lines(group)
        finally_lines, finally_body = lift_blank_lines(nested)
        nested = [
            cst.Try(
                leading_lines=try_lines,
                body=cst.IndentedBlock(body=try_body),
                finalbody=cst.Finally(leading_lines=finally_lines, body=cst.IndentedBlock(body=finally_body)),
            )
        ]
    body = list(block.body)
    body[first : last + 1] = nested
    return Fix(
        FixSafety.SAFE,
        "Nest the teardown steps in `try`/`finally` so each runs even if an earlier one raises",
        block,
        block.with_changes(body=body),
    )


def _movable(groups: list[list[cst.BaseStatement]]) -> bool:
    """No group may leave the block (``return``, ``break``...) or bind a name a later group
    reads: in ``finally`` that name could be unbound when an earlier group raised."""
    bound: set[str] = set()
    for group in groups:
        for stmt in group:
            if names_used(stmt) & bound:
                return False
            if any(isinstance(n, (cst.Return, cst.Break, cst.Continue, cst.Yield)) for n in walk(stmt)):
                return False
        for stmt in group:
            bound |= names_bound(stmt)
    return True


TEARDOWN_STEP_SKIPPED = Rule(
    code="FXL202",
    name="teardown-step-skipped",
    summary="Independent teardown steps in one block: if the first raises, the later ones never run",
    fix=FixSafety.SAFE,
    check=check_teardown_steps,
    explanation="""\
## What it does
In a yield fixture, flags a teardown step that releases one resource (`server.stop()`)
followed, in the same block, by steps that release other resources (`conn.close()`,
`shutil.rmtree(workdir)`), with nothing isolating them from each other. Teardown is the
code after `yield`, a `finally:` around it, and the blocks nested in them (`if`, `with`).

A release is a call statement (awaited or not) whose method or function name says so
(`close`, `aclose`, `stop`, `shutdown`, `terminate`, `kill`, `join`, `remove`, `unlink`,
`rmtree`, `delete`, `drop`, `cleanup`, `release`, `disconnect`, `dispose`, `rollback`,
`undo`, `__exit__`, ...), or an `if` whose body only releases one resource. The resource
is the object the method is called on, or the first argument of a module function such as
`shutil.rmtree(path)` or `os.remove(path)`; `driver.remove(volume)` releases `volume`.

Not flagged: one resource released in several steps (`proc.terminate()` then `proc.wait()`,
`db.session.remove()` then `db.drop_all()`); statements that are not releases (asserts,
logging, restoring saved values such as `os.chdir(old)`); steps already isolated from each
other by `try`/`finally`, `try`/`except` or `contextlib.suppress`; a first step that cannot
raise (`shutil.rmtree(path, ignore_errors=True)`, `task.cancel()`); a later step on a
resource that is only created after the first step (`a.close(); b = connect(); b.close()`).

## Why is this bad?
pytest runs the code after `yield` as one piece, by resuming the generator once. If one
statement raises, the rest of that fixture's teardown is skipped: pytest reports the error
at teardown, and every resource released after the failing step stays open, running or on
disk, for the rest of the session. A flaky `server.stop()` then also leaks the connection
and the temporary directory. Teardowns of *different* fixtures do not have this problem:
pytest runs each fixture's teardown even when another one raised, and so does
`contextlib.ExitStack` for its callbacks (both checked with pytest 9.2).

## Example
```python
@pytest.fixture
def stack():
    server, conn = start_stack()
    yield conn
    server.stop()
    conn.close()
```

## Use instead
Nest the steps so that each runs whatever happened before it:
```python
    yield conn
    try:
        server.stop()
    finally:
        conn.close()
```
Structurally better: one resource per fixture, so pytest tears each down on its own:
```python
@pytest.fixture
def server():
    server = start_server()
    yield server
    server.stop()


@pytest.fixture
def conn(server):
    conn = connect(server.url)
    yield conn
    conn.close()
```
or `contextlib.ExitStack`, which runs every registered callback even when one raises:
```python
@pytest.fixture
def stack():
    with contextlib.ExitStack() as stack:
        server = start_server()
        stack.callback(server.stop)
        conn = stack.enter_context(connect(server.url))
        yield conn
```

## Fix safety
The fix nests the steps in `try`/`finally`, keeping their order; statements between two
releases stay with the release before them. It is safe: when no step raises, the same
statements run in the same order; only when a step raises do the later ones now run too.
No fix is offered when a step binds a name that a later step reads, or contains `return`,
`break`, `continue` or `yield`.
""",
)


# ---------------------------------------------------------------- FXL203 cleanup-in-except


def check_cleanup_in_except(context: FileContext) -> Iterator[Finding]:
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


def _first_statement(suite: cst.BaseSuite) -> str:
    if isinstance(suite, cst.IndentedBlock) and suite.body:
        return short_code(suite.body[0])
    return short_code(suite)


def _dead_message(fixture: Fixture, node: cst.Try, handler: cst.ExceptHandler) -> str:
    message = (
        f"`{_handler_label(handler)}` around `yield` in `{fixture.name}` never runs: after the test, even a "
        "failed one, pytest resumes the fixture normally and never throws the test's exception into it, "
        f"and nothing else in the `try` can raise, so `{_first_statement(handler.body)}` is dead code"
    )
    if node.orelse is not None:
        message += (
            f"; the `else:` block (`{_first_statement(node.orelse.body)}`) runs after every test, "
            "passed or failed"
        )
    return message


def _setup_only_message(
    fixture: Fixture, node: cst.Try, handler: cst.ExceptHandler, setup: cst.CSTNode, located: Located
) -> str:
    cleanup = "" if _trivial(handler) else f", so `{_first_statement(handler.body)}` never runs then"
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
    for stmt in statements:
        for current in walk(stmt):
            if isinstance(current, (cst.Return, cst.Break, cst.Continue, cst.Yield, cst.Raise)):
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
    check=check_cleanup_in_except,
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
