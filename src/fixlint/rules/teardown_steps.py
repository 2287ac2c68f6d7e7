"""FXL202 teardown-step-skipped: after ``yield``, ``a.close()`` then ``b.close()`` in one block.

If the first step raises, the second never runs. The fix nests the steps in
``try``/``finally`` in the same order. What counts as a release is ``resources.is_release_name``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from fixlint.cst_util import (
    code_of,
    dotted_name,
    has_exit,
    lift_blank_lines,
    names_bound,
    names_used,
    short_code,
    single_call,
    strip_await,
    walk,
)
from fixlint.fallible import is_fallible
from fixlint.imports import ImportTable
from fixlint.model import Fixture, statement_path
from fixlint.resources import RELEASE_WORDS, is_release_function, is_release_name
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule

# Release methods that do not raise: a step like this cannot skip the ones after it.
NEVER_RAISING_RELEASES = frozenset({"cancel"})
_DOTTED = re.compile(r"[\w.]+")
_WORDS = textwrap.fill(", ".join(f"`{word}`" for word in sorted(RELEASE_WORDS)), width=90)


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


def check(context: FileContext) -> Iterator[Finding]:
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
    if is_release_function(func, imports):
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
        if has_exit(group, yields=True) or any(names_used(stmt) & bound for stmt in group):
            return False
        for stmt in group:
            bound |= names_bound(stmt)
    return True


TEARDOWN_STEP_SKIPPED = Rule(
    code="FXL202",
    name="teardown-step-skipped",
    summary="Independent teardown steps in one block: if the first raises, the later ones never run",
    fix=FixSafety.SAFE,
    check=check,
    explanation="""\
## What it does
In a yield fixture, flags a teardown step that releases one resource (`server.stop()`)
followed, in the same block, by steps that release other resources (`conn.close()`,
`shutil.rmtree(workdir)`), with nothing isolating them from each other. Teardown is the
code after `yield`, a `finally:` around it, and the blocks nested in them (`if`, `with`).

A release is a call statement (awaited or not) whose method or function name has one of
these words among its parts (so `aclose`, `close_all`, `tearDown` and `__exit__` count too):
""" + _WORDS + """;
or an `if` whose body only releases one resource. The resource
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


