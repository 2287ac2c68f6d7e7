"""FXL201 setup-failure-leak: a resource acquired before a step that can fail, in a yield fixture."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import libcst as cst

from fixlint.cst_util import has_exit, lift_blank_lines, names_bound, names_used, short_code, simple_assignment, walk
from fixlint.fallible import ends_with_outcome, is_fallible, is_skip_guard
from fixlint.imports import ImportTable
from fixlint.model import Fixture, Step, statement_path
from fixlint.resources import acquiring_call, activates, releases, releases_on_failure, starts, stops_only
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule
from fixlint.rules.finalizer_common import finalizer_program, local_defs

@dataclass(frozen=True)
class _Setup:
    level: int  # index into the statement path
    index: int  # index in that level's block
    statement: cst.BaseStatement


@dataclass(frozen=True)
class _Teardown:
    statement: cst.BaseStatement
    guards_from: int | None  # a ``finally`` that runs when setup at this level or deeper raises


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        if fixture.yields:
            yield from _check_fixture(fixture, context.imports)


def _check_fixture(fixture: Fixture, imports: ImportTable) -> Iterator[Finding]:
    path = statement_path(fixture.yields[0])
    if path is None or not all(_transparent(step) for step in path[1:]):
        return  # the yield sits under an if/loop/handler: too many paths to speak for
    setup = [
        _Setup(level, index, stmt)
        for level, step in enumerate(path)
        for index, stmt in enumerate(step.before)
    ]
    teardown = _teardown(path)
    local_names = names_bound(fixture.function.body) | set(fixture.parameters)
    defs = local_defs(fixture)
    for position, acquisition in enumerate(setup):
        call = acquiring_call(acquisition.statement, imports)
        assignment = simple_assignment(acquisition.statement)
        for name in assignment[0] if call is not None and assignment else ():
            releasing = [t for t in teardown if releases(t.statement, name, imports, call, local_names)]
            if not releasing:
                continue
            if stops_only([t.statement for t in releasing], name) and any(
                starts(step.statement, name) for step in setup[position + 1 :]
            ):
                continue  # ``httpd.shutdown()`` needs the later ``serve_forever()``: it cannot run early
            following = _after_activation(list(setup[position + 1 :]), name, call, imports)
            failing = None
            for step in following:
                if _registers_release(step.statement, name, imports, defs):
                    break  # ``request.addfinalizer(conn.close)``: released from here on, whatever fails
                if (
                    is_fallible(step.statement)
                    and not releases_on_failure(step.statement, name, imports)
                    and not any(t.guards_from is not None and t.guards_from <= step.level for t in releasing)
                ):
                    failing = step
                    break
            if failing is None:
                continue
            release = _releasing_call(releasing[0].statement, name, imports, call, local_names)
            where = "in the `finally`" if releasing[0].guards_from is not None else "after `yield`"
            fix = _fix(path, acquisition, name, imports, call)
            if fix is not None and any(ends_with_outcome(s.statement, imports) for s in setup[position + 1 :]):
                # A skip between acquisition and yield is a run that passes today; with the
                # fix, the teardown runs on that path too and may fail it.
                fix = replace(fix, safety=FixSafety.UNSAFE, title=fix.title + " (also on a skip)")
            yield SETUP_FAILURE_LEAK.finding(
                acquisition.statement,
                f"`{name}` is acquired by `{short_code(call)}` before `{short_code(failing.statement)}`; "
                f"if that raises, `{short_code(release)}` {where} never runs and `{name}` leaks",
                fix,
            )
            break  # one finding per acquisition statement


def _after_activation(following: list[_Setup], name: str, call: cst.Call, imports: ImportTable) -> list[_Setup]:
    """The setup steps after the acquisition really completes: activation calls right after the
    binding (``srv.start()``) belong to it, also behind skip guards (``if ...: pytest.skip()``),
    which leave nothing held when they skip before the activation."""
    while True:
        guards = 0
        while guards < len(following) and is_skip_guard(following[guards].statement, imports):
            guards += 1
        if guards < len(following) and activates(following[guards].statement, name, call):
            following = following[guards + 1 :]
        else:
            return following


def _releasing_call(
    statement: cst.BaseStatement, name: str, imports: ImportTable, call: cst.Call, local_names: set[str]
) -> cst.CSTNode:
    """The call in a teardown statement that releases ``name`` (the statement if none alone does)."""
    for node in walk(statement):
        if isinstance(node, cst.Call) and releases(node, name, imports, call, local_names):
            return node
    return statement


def _registers_release(
    statement: cst.BaseStatement, name: str, imports: ImportTable, defs: dict[str, cst.FunctionDef]
) -> bool:
    """Does ``statement`` register a finalizer that releases ``name``?"""
    for node in walk(statement):
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.args:
            if node.func.attr.value == "addfinalizer":
                program = finalizer_program(node.args[0].value, defs, imports)
                if program is not None and releases(program, name, imports):
                    return True
    return False


def _transparent(step: Step) -> bool:
    """Levels whose setup always runs on the way to the yield: ``with`` bodies and ``try`` bodies."""
    owner = step.owner
    if isinstance(owner, cst.With):
        return True
    return isinstance(owner, cst.Try) and step.block is owner.body


def _teardown(path: list[Step]) -> list[_Teardown]:
    """What runs after the test: statements after the yield at each level, innermost first,
    and ``finally`` bodies of the ``try`` statements the yield sits in."""
    found: list[_Teardown] = []
    for level in range(len(path) - 1, -1, -1):
        step = path[level]
        found.extend(_Teardown(stmt, None) for stmt in step.after)
        owner = step.owner
        if isinstance(owner, cst.Try) and owner.finalbody is not None:
            body = owner.finalbody.body
            if isinstance(body, cst.IndentedBlock):
                found.extend(_Teardown(stmt, level) for stmt in body.body)
    return found


def _fix(path: list[Step], acquisition: _Setup, name: str, imports: ImportTable, call: cst.Call) -> Fix | None:
    """Wrap what follows the acquisition in ``try:``/``finally:`` so the release always runs."""
    step = path[acquisition.level]
    body = list(step.block.body)
    following = body[acquisition.index + 1 : step.index + 1]  # up to the statement holding the yield
    late = set().union(*(names_bound(stmt) for stmt in following))
    teardown = list(step.after)
    # Statements that use names bound after the acquisition must stay in the try body:
    # in ``finally`` they could meet an unbound name when setup failed.
    split = len(teardown)
    while split > 0 and not (names_used(teardown[split - 1]) & late):
        split -= 1
    guarded = teardown[split:]
    if has_exit(following + teardown[:split]):
        return None  # a ``return`` that skipped the release today would now run it
    if not any(releases(stmt, name, imports, call) for stmt in guarded) or has_exit(guarded, yields=True):
        return _extend_try_fix(step, acquisition, name, imports, call)
    try_lines, try_body = lift_blank_lines(following + teardown[:split])
    finally_lines, finally_body = lift_blank_lines(guarded)
    new_try = cst.Try(
        leading_lines=try_lines,
        body=cst.IndentedBlock(body=try_body),
        finalbody=cst.Finally(leading_lines=finally_lines, body=cst.IndentedBlock(body=finally_body)),
    )
    new_body = body[: acquisition.index + 1] + [new_try]
    return Fix(
        FixSafety.SAFE,
        f"Wrap the steps after `{name} = ...` in `try`/`finally` so its release always runs",
        step.block,
        step.block.with_changes(body=new_body),
    )


def _extend_try_fix(
    step: Step, acquisition: _Setup, name: str, imports: ImportTable, call: cst.Call
) -> Fix | None:
    """``conn = c(); seed(conn); try: yield finally: conn.close()`` -> move ``seed`` into the try."""
    holder = step.statement
    if not isinstance(holder, cst.Try) or holder.handlers or holder.orelse is not None:
        return None
    final = holder.finalbody
    if final is None or not isinstance(final.body, cst.IndentedBlock):
        return None
    if not any(releases(stmt, name, imports, call) for stmt in final.body.body):
        return None
    moved = list(step.block.body[acquisition.index + 1 : step.index])
    if not moved or has_exit(moved) or names_used(final) & set().union(*(names_bound(stmt) for stmt in moved)):
        return None
    assert isinstance(holder.body, cst.IndentedBlock)
    try_lines, moved = lift_blank_lines(moved)
    new_try = holder.with_changes(
        leading_lines=try_lines,
        body=holder.body.with_changes(body=[*moved, *holder.body.body]),
    )
    body = list(step.block.body)
    new_body = body[: acquisition.index + 1] + [new_try] + body[step.index + 1 :]
    return Fix(
        FixSafety.SAFE,
        f"Move the steps after `{name} = ...` into the `try` whose `finally` releases it",
        step.block,
        step.block.with_changes(body=new_body),
    )


SETUP_FAILURE_LEAK = Rule(
    code="FXL201",
    name="setup-failure-leak",
    summary="A resource is acquired before a setup step that can fail, so its teardown never runs",
    fix=FixSafety.SAFE,
    check=check,
    explanation="""\
## What it does
In a yield fixture, flags a resource that is bound from a call before `yield` (`conn =
connect()`) and released by the teardown after `yield` (`conn.close()`), when a statement
that can raise runs between the acquisition and `yield` and is not covered by a
`try`/`finally` or `with` that would release it.

A statement "can raise" when it contains a call, `await`, `raise` or `assert`. Calls that do
not fail in practice (`print`, `len`, `isinstance`, logging calls, `request.addfinalizer`)
and steps wrapped in `try: ... except Exception:` are not counted.

A release is a call whose name says so (`close`, `stop`, `shutdown`, `dispose`, `delete`,
`remove`, `rmtree`, `terminate`, ...) made on the resource (`conn.close()`) or given it
(`shutil.rmtree(path)`). Teardown that only checks or restores something (`assert
path.exists()`, `os.chdir(old)`) is not a release, so saved state is not called a leak.
A release that stops something running (`stop`, `shutdown`, `terminate`, ...) is not expected
to run early when a later setup step is what starts it (`threading.Thread(target=
server.serve_forever).start()`): socketserver's `shutdown()`, for one, would block forever.
A module returned by `pytest.importorskip(...)` is not a resource either.
Building an object that holds nothing yet is not an acquisition: a patcher or a thread
(`mock.patch(...)`, `threading.Thread(...)`), or a handle whose next step is the one that
really acquires (`bucket = s3.Bucket(name)` followed by `bucket.create()`, `server.start()`,
`path.mkdir()`): if that step fails, nothing exists to release.

## Why is this bad?
pytest registers a yield fixture's teardown only once the generator reaches `yield`. If
setup raises before that, none of the code after `yield` runs: the fixture errors, the test
is reported as an error, and the resource acquired before the failing step is never
released (an open connection, a running server, a temporary directory). Fixtures that were
set up earlier still tear down; this one does not.

When the *test* fails, pytest resumes the generator normally, so the teardown does run:
`try`/`finally` is not needed for test failures, only for failures during setup.

## Example
```python
@pytest.fixture
def db():
    conn = connect()
    seed(conn)  # if this raises, conn.close() never runs
    yield conn
    conn.close()
```

## Use instead
```python
@pytest.fixture
def db():
    conn = connect()
    try:
        seed(conn)
        yield conn
    finally:
        conn.close()
```
A `with` block (`with connect() as conn:`) or `contextlib.ExitStack` works too, and so does
registering the release with `request.addfinalizer(conn.close)` right after acquiring it.

## Fix safety
The fix wraps everything from the statement after the acquisition through the teardown in
`try`/`finally` (or, when the release is already in a `finally` that starts too late, moves
the steps into that `try`). It is safe: on every run where setup succeeds the same statements
run in the same order; only a setup failure now runs the release as well. When a pytest
outcome (`pytest.skip`, `xfail`, `importorskip`, ...) can end the setup between acquisition and
`yield`, the fix is unsafe instead: a skipped test is a run that passes today, and the
teardown would now run on that path too. Teardown statements
that use names bound after the acquisition stay in the `try` body, so the `finally` never
meets an unbound name. No fix is offered when the yield or the release is not in the same
block as the acquisition.
""",
)
