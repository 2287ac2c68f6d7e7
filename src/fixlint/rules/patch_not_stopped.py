"""FXL302 patch-not-stopped: a fixture starts a ``unittest.mock`` patcher and nothing stops it.

``p.start()`` activates a patch until ``p.stop()`` or ``patch.stopall()``; pytest knows nothing
about it, so a patch a fixture never stops stays active for the rest of the process. The rule
reports a start only when it can see every way the patch could be stopped and none is there:
any other use of the patcher, a ``stopall`` anywhere in the file, or a cleanup it cannot read
keeps it quiet.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from fixlint.cst_util import (
    SCOPES,
    all_params,
    binds,
    children,
    dotted_name,
    names_bound,
    names_used,
    short_code,
    simple_assignment,
    walk,
)
from fixlint.imports import ImportTable
from fixlint.model import Fixture, Located, Step, statement_path
from fixlint.ownership import handed_elsewhere
from fixlint.resources import INERT_CONSTRUCTORS, is_release_name
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule
from fixlint.rules.finalizer_common import finalizer_program, is_partial, local_defs

# ``patch``, ``patch.object``, ``patch.dict``, ``patch.multiple`` of unittest.mock and the mock backport.
PATCHERS = frozenset(
    name for name in INERT_CONSTRUCTORS if name.startswith(("unittest.mock.patch", "mock.patch"))
)
# The name the fix gives the mock when ``return patch(...).start()`` becomes a ``with`` block.
FRESH_NAME = "mocked"


@dataclass(frozen=True)
class _Start:
    """One ``.start()`` of a patcher the fixture builds."""

    call: Located  # the ``.start()`` call
    constructor: cst.Call  # ``patch("a.b")``
    name: str | None  # ``p`` in ``p = patch(...); p.start()``; None for ``patch(...).start()``


def check(context: FileContext) -> Iterator[Finding]:
    stopall_in_file: bool | None = None  # computed once, only when a candidate turns up
    for fixture in context.fixtures:
        if fixture.scope is None or (fixture.scope == "session" and fixture.autouse):
            continue  # unknown scope; or a patch meant for the whole session
        starts = _unstopped_starts(fixture, context)
        if not starts:
            continue
        if stopall_in_file is None:
            stopall_in_file = _mentions_stopall(context.module)
        if stopall_in_file:
            continue  # a ``teardown_method`` or another fixture may call ``patch.stopall()``
        for start in starts:
            yield PATCH_NOT_STOPPED.finding(start.call.node, _message(fixture, start), _fix(fixture, start))


# ------------------------------------------------------------------ finding the starts


def _unstopped_starts(fixture: Fixture, context: FileContext) -> list[_Start]:
    """The starts in ``fixture`` that nothing it does could stop, one per patcher."""
    if _may_stop_everything(fixture, context):
        return []
    found: list[_Start] = []
    seen: set[str] = set()
    for start in _starts(fixture, context.imports):
        if start.name is not None:
            if start.name in seen:
                continue
            seen.add(start.name)
            if not _only_started(fixture, start.name) or handed_elsewhere(fixture, {start.name}):
                continue  # stopped, returned, stored or passed on: someone may stop it
        found.append(start)
    return found


def _starts(fixture: Fixture, imports: ImportTable) -> Iterator[_Start]:
    """``p.start()`` for a local ``p = patch(...)``, and ``patch(...).start()``, in the fixture's own
    body (a nested function may never run)."""
    params = {param.name.value for param in all_params(fixture.function.params)}
    shadowed = names_bound(fixture.function.body) | params
    for located, receiver in _start_calls(fixture.function):
        if isinstance(receiver, cst.Call) and _is_patcher(receiver, imports, shadowed):
            yield _Start(located, receiver, None)
        elif isinstance(receiver, cst.Name) and receiver.value not in params:
            constructor = _only_binding(fixture, receiver.value)
            if constructor is not None and _is_patcher(constructor, imports, shadowed):
                yield _Start(located, constructor, receiver.value)


def _start_calls(function: cst.FunctionDef) -> Iterator[tuple[Located, cst.BaseExpression]]:
    """Every ``<receiver>.start()`` in the function's own body, with its ancestors (the FunctionDef
    first, as ``statement_path`` wants them) and its receiver."""
    stack: list[tuple[cst.CSTNode, tuple[cst.CSTNode, ...]]] = [(function.body, (function,))]
    while stack:
        node, ancestors = stack.pop()
        if isinstance(node, cst.Call) and not node.args:
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "start":
                yield Located(node, ancestors), func.value
        if isinstance(node, SCOPES):
            continue
        inner = (*ancestors, node)
        stack.extend((child, inner) for child in reversed(list(children(node))))


def _is_patcher(call: cst.Call, imports: ImportTable, shadowed: set[str]) -> bool:
    """``patch(...)`` / ``mock.patch.object(...)`` / ``um.patch.dict(...)``, through the file's imports;
    a ``mock`` that is a parameter or a local (``mocker``-like helpers) is not the module."""
    written = dotted_name(call.func)
    if written is None:
        return False
    head = written.split(".")[0]
    return head in imports.names and head not in shadowed and imports.qualify(written) in PATCHERS


def _only_binding(fixture: Fixture, name: str) -> cst.Call | None:
    """The call in ``name = <call>`` when that is the only thing binding ``name`` in the fixture."""
    body = fixture.function.body
    if sum(binds(node).count(name) for node in walk(body, enter_scopes=True)) != 1:
        return None
    for node in walk(body):
        assignment = simple_assignment(node) if isinstance(node, cst.SimpleStatementLine) else None
        if assignment is not None and assignment[0] == [name] and isinstance(assignment[1], cst.Call):
            return assignment[1]
    return None


def _only_started(fixture: Fixture, name: str) -> bool:
    """Is ``name`` used only as ``name = ...`` and ``name.start()``? Any other use (``name.stop()``,
    ``yield name``, ``stack.enter_context(name)``, ``with name:``) may stop it."""
    stack: list[cst.CSTNode] = [fixture.function.body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Name):
            continue  # the binding itself (``_only_binding`` made sure there is one)
        if isinstance(node, cst.Call) and _is_start_of(node, name):
            continue
        if isinstance(node, cst.Name) and node.value == name:
            return False
        if isinstance(node, cst.Attribute):
            stack.append(node.value)  # ``obj.name`` is an attribute, not a use
        elif isinstance(node, cst.Arg):
            stack.append(node.value)  # ``f(name=1)`` is a keyword, not a use
        else:
            stack.extend(children(node))
    return True


def _is_start_of(call: cst.Call, name: str) -> bool:
    func = call.func
    return (
        not call.args
        and isinstance(func, cst.Attribute)
        and func.attr.value == "start"
        and isinstance(func.value, cst.Name)
        and func.value.value == name
    )


# ------------------------------------------------------------------ what may stop every patch


def _may_stop_everything(fixture: Fixture, context: FileContext) -> bool:
    """``patch.stopall()`` anywhere in the fixture (a nested def included), a finalizer the rule cannot
    read, or a cleanup helper it cannot see into (``undo_patches()`` imported from elsewhere)."""
    if _mentions_stopall(fixture.function):
        return True
    defs = local_defs(fixture)
    module_defs = _module_functions(context.module)
    for finalizer in fixture.finalizers:
        argument = finalizer.argument
        if argument is None or finalizer_program(argument, defs, context.imports) is None:
            if not (isinstance(argument, cst.Name) and argument.value in module_defs):
                return True  # ``addfinalizer(cleanup)`` with an imported ``cleanup``
        elif is_partial(argument, context.imports):
            callee = argument.args[0].value  # type: ignore[attr-defined]
            if isinstance(callee, cst.Name) and callee.value not in defs and callee.value not in module_defs:
                return True
    return _calls_unseen_cleanup(fixture, defs.keys() | module_defs.keys())


def _calls_unseen_cleanup(fixture: Fixture, seen: set[str]) -> bool:
    """A call of a plain function with a cleanup name (``reset_mocks()``, ``teardown_all()``) that
    neither the fixture nor the file defines: it may call ``patch.stopall()``. (Functions they
    define were searched for ``stopall`` already.)"""
    for node in walk(fixture.function.body, enter_scopes=True):
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and is_release_name(node.func):
            if node.func.value not in seen:
                return True
    return False


def _module_functions(module: cst.Module) -> dict[str, cst.FunctionDef]:
    return {stmt.name.value: stmt for stmt in module.body if isinstance(stmt, cst.FunctionDef)}


def _mentions_stopall(node: cst.CSTNode) -> bool:
    """``mock.patch.stopall`` / ``patch.stopall`` / ``mocker.stopall``, called or passed on."""
    return any(
        isinstance(current, cst.Attribute) and current.attr.value == "stopall"
        for current in walk(node, enter_scopes=True)
    )


# ------------------------------------------------------------------ the message


def _message(fixture: Fixture, start: _Start) -> str:
    patch_text = short_code(start.constructor)
    base = _patch_base(start.constructor)
    if start.name is not None:
        why = (
            f"`{fixture.name}` starts `{patch_text}` with `{start.name}.start()` and never stops it (no "
            f"`{start.name}.stop()` or `{base}.stopall()` in its teardown or a finalizer)"
        )
    else:
        why = (
            f"`{fixture.name}` starts `{patch_text}` and never stops it: the patcher is not kept, so only "
            f"`{base}.stopall()` could stop it, and nothing calls that"
        )
    return f"{why}; the patch stays active {_reach(fixture)}"


def _patch_base(constructor: cst.Call) -> str:
    """``mock.patch`` for ``mock.patch.object(...)``: where the user's ``stopall`` lives."""
    written = dotted_name(constructor.func) or "patch"
    head, _, last = written.rpartition(".")
    return head if head and last in ("object", "dict", "multiple") else written


def _reach(fixture: Fixture) -> str:
    """The later tests a patch that is never stopped reaches, by the fixture's scope."""
    if fixture.scope == "class":
        return "after the last test of the class that requested it, in every later test in this process"
    if fixture.scope == "module":
        return "after the last test in this module, in every later test in this process"
    if fixture.scope == "package":
        return "after the last test in this package, in every later test in this process"
    if fixture.scope == "session":
        return (
            f"from the first test that requests `{fixture.name}` to the end of the session, also in "
            "tests that never request it"
        )
    return f"in every later test in this process, including tests that never request `{fixture.name}`"


# ------------------------------------------------------------------ the fix


def _fix(fixture: Fixture, start: _Start) -> Fix | None:
    """``m = p.start()`` + the rest of its block -> ``with p as m:`` + that rest, when the rewrite is
    exact: a generator whose single ``yield`` is in that rest, or a plain fixture whose only
    ``return`` is its last statement (it becomes the ``yield``)."""
    path = statement_path(start.call)
    if path is None or any(isinstance(level.owner, (cst.For, cst.While)) for level in path):
        return None
    if start.name is not None and _start_count(fixture, start.name) != 1:
        return None
    step = path[-1]
    statement = step.statement
    form = _start_form(statement, start.call.node)
    if form is None:
        return None
    if fixture.is_generator:
        rewritten = _generator_rest(fixture, step, form)
    else:
        rewritten = _plain_rest(fixture, step, form)
    if rewritten is None:
        return None
    target, body = rewritten
    assert isinstance(statement, cst.SimpleStatementLine)
    item = start.constructor if start.name is None else cst.Name(start.name)
    new_with = cst.With(
        items=[cst.WithItem(item=item, asname=cst.AsName(name=target) if target is not None else None)],
        body=cst.IndentedBlock(body=body, header=statement.trailing_whitespace),
        leading_lines=statement.leading_lines,
    )
    return Fix(
        FixSafety.UNSAFE,
        f"Use `with {short_code(item)}` around the `yield`, so the patch stops at teardown",
        step.block,
        step.block.with_changes(body=[*step.before, new_with]),
    )


# How the start statement is written: ``m = p.start()`` -> ("assign", m), ``p.start()`` ->
# ("expr", None), ``return p.start()`` -> ("return", None).
_Form = tuple[str, "cst.Name | None"]
_Rewrite = tuple["cst.Name | None", list[cst.BaseStatement]]  # the ``as`` target and the with body


def _start_count(fixture: Fixture, name: str) -> int:
    body = fixture.function.body
    return sum(isinstance(node, cst.Call) and _is_start_of(node, name) for node in walk(body))


def _start_form(statement: cst.BaseStatement, call: cst.CSTNode) -> _Form | None:
    """The start on a line of its own: ``m = <start>``, ``<start>`` or ``return <start>``."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and small.value is call:
        target = small.targets[0].target
        return ("assign", target) if isinstance(target, cst.Name) else None
    if isinstance(small, cst.Expr) and small.value is call:
        return "expr", None
    if isinstance(small, cst.Return) and small.value is call:
        return "return", None
    return None


def _generator_rest(fixture: Fixture, step: Step, form: _Form) -> _Rewrite | None:
    """The statements after the start, when the fixture's single ``yield`` is among them."""
    if form[0] == "return" or len(fixture.yields) != 1:
        return None
    yield_path = statement_path(fixture.yields[0])
    if yield_path is None or not any(
        level.block is step.block and level.index > step.index for level in yield_path
    ):
        return None
    return form[1], list(step.after)


def _plain_rest(fixture: Fixture, step: Step, form: _Form) -> _Rewrite | None:
    """For a fixture without ``yield``: the rest of its body with the final ``return x`` turned into
    ``yield x``, or a ``yield`` added when it returns nothing. Only at the top of the body, with
    no return annotation (``-> Mock`` would be wrong for a generator) and no other ``return``."""
    function = fixture.function
    if step.owner is not function or function.returns is not None:
        return None
    kind, target = form
    rest = list(step.after)
    if kind == "return":
        # ``return patch(...).start()`` -> ``with patch(...) as mocked: yield mocked``
        params = {param.name.value for param in all_params(function.params)}
        taken = names_used(function) | names_bound(function.body) | params
        if rest or len(fixture.returns) != 1 or FRESH_NAME in taken:
            return None
        name = cst.Name(FRESH_NAME)
        return name, [cst.SimpleStatementLine(body=[cst.Expr(cst.Yield(value=name))])]
    if not fixture.returns:
        return target, [*rest, cst.SimpleStatementLine(body=[cst.Expr(cst.Yield())])]
    returned = fixture.returns[0].node
    last = rest[-1] if rest else None
    if len(fixture.returns) != 1 or not _is_line_of(last, returned):
        return None
    assert isinstance(last, cst.SimpleStatementLine) and isinstance(returned, cst.Return)
    yielded = cst.Yield(value=returned.value)
    if returned.value is not None:
        yielded = yielded.with_changes(whitespace_after_yield=returned.whitespace_after_return)
    return target, [*rest[:-1], last.with_changes(body=[cst.Expr(yielded)])]


def _is_line_of(statement: cst.BaseStatement | None, node: cst.CSTNode) -> bool:
    """Is ``statement`` a line holding only ``node``?"""
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    return len(statement.body) == 1 and statement.body[0] is node


PATCH_NOT_STOPPED = Rule(
    code="FXL302",
    name="patch-not-stopped",
    summary="A fixture starts a mock patch and never stops it",
    fix=FixSafety.UNSAFE,
    check=check,
    explanation="""\
## What it does
Flags a fixture that starts a `unittest.mock` (or `mock` backport) patcher with `.start()`,
either `p = patch(...)` then `p.start()` or `patch(...).start()` directly (also
`patch.object`, `patch.dict` and `patch.multiple`, through any import alias), when nothing
can stop it: no `p.stop()` in the teardown, a `finally` or a finalizer, and no
`patch.stopall()` anywhere in the file.

Not flagged:

- `mocker.patch(...)` and the rest of pytest-mock, which undoes its patches itself;
- `with patch(...) as m: yield m`, and a patcher that is built but never started;
- a patcher the fixture uses in any other way than `p.start()`: stopped, given to
  `request.addfinalizer`, an `ExitStack` or `self.addCleanup`, stored on an attribute or in a
  list, or returned/yielded itself (the test, or whoever receives it, may stop it);
- a file that calls `stopall` anywhere (a `teardown_method`, another fixture), a finalizer
  the rule cannot read, or a cleanup function imported from elsewhere;
- a `scope="session", autouse=True` fixture: a patch every test is meant to see;
- a fixture whose scope is not a literal, and starts inside nested functions (they may never
  run).

## Why is this bad?
pytest knows nothing about `unittest.mock`: a patch started with `.start()` stays active
until something calls its `stop()` or `patch.stopall()`. Checked with pytest 9.2 (Python
3.11): a fixture doing `mock.patch("time.time", return_value=0.0).start()` leaves
`time.time()` returning `0.0` in every test that runs after it, in the same module and in
other modules, including tests that never request the fixture; a `scope="module"` fixture
leaks the same way after the last test of its module. Such leaks make tests pass or fail
depending on which tests ran before them (under pytest-xdist, on which worker ran them).

`patch.stopall()` stops every patch started with `.start()` that is still active, whichever
fixture started it (including `patch.dict`), but not patches entered with `with` or
`__enter__()`. A patch started as `patch(...).start()` keeps no handle, so `stopall()` is the
only way to stop it.

## Example
```python
@pytest.fixture
def fake_time():
    patcher = mock.patch("time.time", return_value=0.0)
    frozen = patcher.start()
    yield frozen
```

## Use instead
```python
@pytest.fixture
def fake_time():
    patcher = mock.patch("time.time", return_value=0.0)
    with patcher as frozen:
        yield frozen
```
`patcher.stop()` after the `yield` (or `request.addfinalizer(patcher.stop)` right after the
start) works too, and pytest-mock's `mocker.patch(...)` stops its patches by itself.

## Fix safety
The fix turns the start into a `with` block around the rest of the block:
`m = p.start()` becomes `with p as m:`, `m = patch(...).start()` becomes
`with patch(...) as m:`, a bare start becomes `with ...:`. A fixture without `yield` is made
a generator: its last statement `return x` becomes `yield x` inside the block, a fixture that
returns nothing gets a `yield` at the end, and `return patch(...).start()` becomes
`with patch(...) as mocked: yield mocked`. The fix is unsafe: the patch is now undone after
each test (or at the end of the fixture's scope), and a test that passes today only because
an earlier fixture's patch leaked into it will fail. It is offered only when the rewrite is
exact: the start is a statement of its own, not in a loop, started once; in a generator
fixture the only `yield` comes after it in the same block; in a plain fixture it is at the top
of the body, there is no return annotation, and the only `return` is the last statement.
""",
)
