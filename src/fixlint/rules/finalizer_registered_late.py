"""FXL102 finalizer-registered-late: a resource is acquired, steps that can fail run, and only
then is its finalizer registered; if one of those steps raises, the resource leaks.

What counts as acquiring and as releasing is ``fixlint.resources``'s one definition, shared
with FXL201. The fix moves the registration up to just after the acquisition, when the
registration would register the same thing there and the order of finalizers stays the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from fixlint.cst_util import assigned_names, has_exit, names_used, root_name, short_code, walk
from fixlint.fallible import ends_with_outcome, is_fallible
from fixlint.imports import ImportTable
from fixlint.model import Finalizer, Fixture, Step, statement_path
from fixlint.resources import acquiring_call, activates, is_release_name, releases, releases_on_failure
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule
from fixlint.rules.finalizer_common import (
    finalizer_program,
    bound_by,
    bound_by_any,
    is_registration_statement,
    local_defs,
    move,
    move_changes_order,
    needs_of,
    request_names,
    stable_at_registration,
)


@dataclass(frozen=True)
class _Acquisition:
    level: int  # statement-path level of the block holding it
    index: int  # its index in that block
    call: cst.Call  # ``connect(DSN)`` in ``conn = connect(DSN)``


@dataclass(frozen=True)
class _Between:
    """A step between an acquisition and its registration: a statement, or the header of a
    ``with`` block entered on the way (``header=True``: only its items run then)."""

    node: cst.BaseStatement
    header: bool = False

    @property
    def parts(self) -> list[cst.CSTNode]:
        """What runs at this step."""
        if self.header and isinstance(self.node, cst.With):
            return list(self.node.items)
        return [self.node]

    def can_raise(self) -> bool:
        return any(is_fallible(part) for part in self.parts)

    def uses(self, name: str) -> bool:
        return any(name in names_used(part) for part in self.parts)

    def releases_on_failure(self, name: str, imports: ImportTable) -> bool:
        return any(releases_on_failure(part, name, imports) for part in self.parts)

    def leaves_early(self) -> bool:
        """A ``return``/``yield``/``break`` here: the registration is not the only way on."""
        return not self.header and has_exit([self.node], yields=True)


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        defs = local_defs(fixture)
        for finalizer in fixture.finalizers:
            if finalizer.argument is not None:
                finding = _check_finalizer(fixture, finalizer, defs, context.imports)
                if finding is not None:
                    yield finding


def _check_finalizer(
    fixture: Fixture, finalizer: Finalizer, defs: dict[str, cst.FunctionDef], imports: ImportTable
) -> Finding | None:
    path = statement_path(finalizer.call)
    if not path:
        return None
    assert finalizer.argument is not None
    for name in sorted(needs_of(finalizer.argument, defs).all):
        acquisition = _acquisition(path, name, imports)
        if acquisition is None:
            continue
        released = _released(finalizer.argument, defs, name, imports, acquisition.call)
        if released is None:
            continue
        between = _between(path, acquisition)
        while between and not between[0].header and activates(between[0].node, name, acquisition.call):
            between.pop(0)  # ``srv.start()``: if it fails, nothing was acquired yet
        if any(step.releases_on_failure(name, imports) or step.leaves_early() for step in between):
            continue
        if not _is_name(released, name) and any(step.uses(name) for step in between):
            continue  # ``srv.sock.close`` after ``srv.bind()``: the step may be what made ``srv.sock``
        failing = next((step.node for step in between if step.can_raise()), None)
        if failing is None:
            continue
        return FINALIZER_REGISTERED_LATE.finding(
            finalizer.call.node,
            _message(name, released, acquisition, failing, finalizer),
            _fix(fixture, path, acquisition, finalizer, defs, name, imports),
        )
    return None


def _message(
    name: str, released: cst.CSTNode, acquisition: _Acquisition, failing: cst.CSTNode, finalizer: Finalizer
) -> str:
    what = short_code(released)
    finalizer_of = "its finalizer" if what == name else f"the finalizer that releases `{what}`"
    return (
        f"`{name}` is acquired by `{short_code(acquisition.call)}`, but {finalizer_of} is registered "
        f"only after `{short_code(failing)}`; if that raises, the fixture errors before "
        f"`{short_code(finalizer.call.node)}` runs and `{what}` leaks"
    )


def _is_name(node: cst.CSTNode, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _released(
    argument: cst.BaseExpression,
    defs: dict[str, cst.FunctionDef],
    name: str,
    imports: ImportTable,
    acquired_by: cst.Call,
) -> cst.BaseExpression | None:
    """What the finalizer releases of ``name``: ``conn`` for ``conn.close`` or
    ``partial(shutil.rmtree, conn)``, ``srv.sock`` for ``lambda: srv.sock.close()``; None
    when it does not release it (``lambda: sys.path.remove(entry)`` undoes a registration)."""
    program = finalizer_program(argument, defs, imports)
    if program is None:
        return None
    for node in walk(program):
        if not isinstance(node, cst.Call) or not is_release_name(node.func):
            continue
        if releases(node, name, imports, acquired_by):
            if isinstance(node.func, cst.Attribute) and root_name(node.func.value) == name:
                return node.func.value
            return next((arg.value for arg in node.args if name in names_used(arg.value)), None)
    return None


def _acquisition(path: list[Step], name: str, imports: ImportTable) -> _Acquisition | None:
    """The statement that last binds ``name`` before the registration, when it is a plain
    ``name = acquire(...)`` and every block between it and the registration is always entered
    once it runs (``with`` bodies)."""
    for level in range(len(path) - 1, -1, -1):
        step = path[level]
        for index in range(step.index - 1, -1, -1):
            statement = step.block.body[index]
            if name in bound_by(statement):
                call = acquiring_call(statement, imports)
                return None if call is None else _Acquisition(level, index, call)
        owner = step.owner
        if not isinstance(owner, cst.With) or any(
            item.asname is not None and name in assigned_names(item.asname.name) for item in owner.items
        ):
            return None  # the function's top, or a block that is not always entered
    return None


def _between(path: list[Step], acquisition: _Acquisition) -> list[_Between]:
    """What runs after the acquisition and before the registration: statements, and the headers
    of the ``with`` blocks entered on the way (``_acquisition`` allows only those)."""
    step = path[acquisition.level]
    steps = [_Between(statement) for statement in step.block.body[acquisition.index + 1 : step.index]]
    for deeper in path[acquisition.level + 1 :]:
        assert isinstance(deeper.owner, cst.With)
        steps.append(_Between(deeper.owner, header=True))
        steps.extend(_Between(statement) for statement in deeper.before)
    return steps


def _fix(
    fixture: Fixture,
    path: list[Step],
    acquisition: _Acquisition,
    finalizer: Finalizer,
    defs: dict[str, cst.FunctionDef],
    name: str,
    imports: ImportTable,
) -> Fix | None:
    """Move the registration up to just after the acquisition, when it registers the same thing
    there (nothing it reads is set in between) and the order of finalizers stays the same."""
    step = path[acquisition.level]
    if acquisition.level != len(path) - 1 or not is_registration_statement(step, finalizer.call.node):
        return None
    crossed = step.block.body[acquisition.index + 1 : step.index]
    assert finalizer.argument is not None
    if not stable_at_registration(finalizer.argument, imports):
        return None  # ``srv.sock.close``: ``srv.sock`` may be set by a moved-over step
    if needs_of(finalizer.argument, defs).all & bound_by_any(crossed):
        return None  # it would capture another object, or fail with NameError (FXL101)
    if move_changes_order(crossed, request_names(fixture)):
        return None
    # A skip among the crossed steps is a run that passes today; the moved finalizer would now
    # run on that path too and could fail it.
    skips = any(ends_with_outcome(statement, imports) for statement in crossed)
    return Fix(
        FixSafety.UNSAFE if skips else FixSafety.SAFE,
        f"Register the finalizer right after `{name}` is acquired" + (" (also on a skip)" if skips else ""),
        step.block,
        move(step.block, step.index, acquisition.index),
    )


FINALIZER_REGISTERED_LATE = Rule(
    code="FXL102",
    name="finalizer-registered-late",
    summary="A resource's finalizer is registered only after setup steps that can fail",
    fix=FixSafety.SAFE,
    check=check,
    explanation="""\
## What it does
Flags `request.addfinalizer(...)` when what it releases (`conn` in `conn.close`,
`lambda: srv.stop()`, `functools.partial(shutil.rmtree, workdir)`) was bound from a call
(`conn = connect()`), and a statement that can raise runs between that acquisition and the
registration.

A statement "can raise" when it contains a call, `await`, `raise` or `assert`; `print`,
`len`, `isinstance`, logging calls and `request.addfinalizer` itself are not counted, nor steps
wrapped in `try: ... except Exception:`. A release is a call whose name says so (`close`,
`stop`, `shutdown`, `rmtree`, `remove`, ...) made on the resource, or a module function
(`shutil.rmtree`, `os.remove`) or the object that created it given the resource.
`sys.path.remove(entry)` or `registry.remove(name)` undo a registration, which a failing step
never made, so they are not flagged. Neither is computing a value (`entry = str(tmp_path)`),
creating a patcher or a thread (`mock.patch(...)`, `threading.Thread(...)`), a step that only
activates the object (`srv.start()` after `srv = Server()`), or a step whose `except` or
`finally` already releases the name. When the finalizer releases part of the object
(`srv.sock.close`), it is flagged only when no step in between touches `srv`: such a step may
be what created `srv.sock`.

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
instead of after them, and only a failing setup now runs it. It is offered only when:

- both are in the same block;
- what the registration evaluates at once cannot depend on the steps it moves above: a closure
  (`lambda`, a local `def`), a bound method of a plain name (`conn.close`) or a module function,
  or `functools.partial` of those with plain names or literals. `srv.sock.close` is not moved,
  since a step in between may be what sets `srv.sock`;
- the finalizer needs no name bound in between (that would make it fail, see FXL101);
- nothing in between could change the order in which finalizers run: no other registration, no
  `return` or `yield`, and no call given `request` (`remove_later(request, path)`,
  `request.getfixturevalue(...)`), which may register finalizers of its own.
""",
)
