"""FXL206 return-inside-with: a non-generator fixture returns a ``with`` target from inside the block.

The test gets an object whose context has already exited. The fix turns that ``return`` into
``yield``, but only where the result is exactly "the same fixture, exited at teardown": nothing
may run after the new ``yield`` except the exits of the blocks around it, and no path may end
without reaching it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

from fixlint.cst_util import (
    assigned_names,
    dotted_name,
    names_bound,
    short_code,
    strip_await,
    walk,
)
from fixlint.fallible import NO_RETURN_CALLS
from fixlint.imports import ImportTable
from fixlint.model import Fixture, Located, Step, statement_path
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule

# Context managers whose ``as`` value is meant to be used after the block: a record of what
# happened inside (warnings, an exception, captured output), a value passed through, or an
# object the exit does not close (sqlite3 commits or rolls back; the connection stays open).
VALUE_AFTER_EXIT = frozenset(
    {
        "warnings.catch_warnings", "pytest.raises", "pytest.warns", "pytest.deprecated_call",
        "contextlib.redirect_stdout", "contextlib.redirect_stderr", "contextlib.nullcontext",
        "sqlite3.connect",
    }
)
TYPING_MODULES = ("collections.abc", "typing", "typing_extensions")
# The generic types a ``yield`` fixture can be annotated with, preferred first, and how many
# ``None`` arguments follow the yielded type (``Generator[T, None, None]``).
SYNC_GENERIC = {"Iterator": 0, "Generator": 2}
ASYNC_GENERIC = {"AsyncIterator": 0, "AsyncGenerator": 1}


@dataclass(frozen=True)
class _Target:
    """A name bound by ``with <item>`` (or ``async with``) that a return hands out."""

    name: str
    item: cst.WithItem
    keyword: str  # "with" or "async with"


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        if fixture.is_generator:
            continue  # a generator's ``return`` ends teardown, not setup: another rule's business
        for returned in fixture.returns:
            targets = _returned_targets(returned, context.imports)
            if targets:
                yield RETURN_INSIDE_WITH.finding(
                    returned.node, _return_message(fixture, targets), _yield_fix(context, fixture, returned)
                )


def _return_message(fixture: Fixture, targets: list[_Target]) -> str:
    if len(targets) > 1:
        quoted = [f"`{target.name}`" for target in targets]
        names = ", ".join(quoted[:-1]) + " and " + quoted[-1]
        return (
            f"`{fixture.name}` returns {names} from inside the `with` blocks that created them; the "
            "blocks exit as soon as the fixture returns, so the test gets them already cleaned up"
        )
    target = targets[0]
    item_text = short_code(target.item.with_changes(comma=cst.MaybeSentinel.DEFAULT))
    return (
        f"`{fixture.name}` returns `{target.name}` from inside `{target.keyword} {item_text}:`; the "
        f"block exits as soon as the fixture returns, so the test gets `{target.name}` after "
        f"`{short_code(target.item.item)}` has already cleaned it up"
    )


def _returned_targets(returned: Located, imports: ImportTable) -> list[_Target]:
    """The ``as`` names of the enclosing ``with`` blocks that the return hands out."""
    assert isinstance(returned.node, cst.Return)
    if returned.node.value is None:
        return []
    exposed = _exposed_names(returned.node.value)
    targets: list[_Target] = []
    for ancestor in reversed(returned.ancestors):  # innermost block first
        if not isinstance(ancestor, cst.With):
            continue
        rebound = names_bound(ancestor.body)  # ``fh = fh.read()`` hands out something else
        keyword = "with" if ancestor.asynchronous is None else "async with"
        for item in ancestor.items:
            if item.asname is None or not _creates_resource(item.item, imports):
                continue
            for name in assigned_names(item.asname.name):
                if name in exposed and name not in rebound and all(t.name != name for t in targets):
                    targets.append(_Target(name, item, keyword))
    return targets


def _exposed_names(value: cst.BaseExpression) -> set[str]:
    """Names handed out as they are: ``fh``, or held by a tuple/list/set/dict display."""
    if isinstance(value, cst.Name):
        return {value.value}
    found: set[str] = set()
    if isinstance(value, (cst.Tuple, cst.List, cst.Set)):
        for element in value.elements:
            found |= _exposed_names(element.value)
    elif isinstance(value, cst.Dict):
        for element in value.elements:
            if isinstance(element, cst.DictElement):
                found |= _exposed_names(element.key) | _exposed_names(element.value)
            else:
                found |= _exposed_names(element.value)
    return found


def _creates_resource(expression: cst.BaseExpression, imports: ImportTable) -> bool:
    """``with open(p) as fh`` creates what it cleans up; ``with conn as c`` (an object from
    elsewhere) and the recorders in VALUE_AFTER_EXIT are left alone."""
    expression = strip_await(expression)
    if not isinstance(expression, cst.Call):
        return False
    return imports.qualified_name_of(expression.func) not in VALUE_AFTER_EXIT


def _yield_fix(context: FileContext, fixture: Fixture, returned: Located) -> Fix | None:
    """``return fh`` -> ``yield fh`` (and ``-> T`` -> ``-> Iterator[T]``), when that is exact."""
    ret = returned.node
    assert isinstance(ret, cst.Return)
    if len(fixture.returns) != 1:
        return None  # another return would end the generator before (or instead of) yielding
    path = statement_path(returned)
    if path is None or not _nothing_runs_after(path, ret) or fixture.body is None:
        return None
    if not _always_ends(fixture.body, context.imports):
        return None  # a path that falls off the end would now fail with "did not yield a value"
    new_function = fixture.function.deep_replace(
        ret,
        cst.Expr(
            value=cst.Yield(value=ret.value, whitespace_after_yield=ret.whitespace_after_return),
            semicolon=ret.semicolon,
        ),
    )
    assert isinstance(new_function, cst.FunctionDef)
    annotation = annotation_for_yield(context.module, fixture)
    if annotation is False:
        return None  # no Iterator/Generator name is imported to write the new annotation with
    new_function = new_function.with_changes(returns=annotation)
    return Fix(
        FixSafety.UNSAFE,
        f"Yield `{short_code(ret.value)}` instead of returning it, so the `with` block stays open "
        "until teardown",
        fixture.function,
        new_function,
    )


def _nothing_runs_after(path: list[Step], ret: cst.Return) -> bool:
    """After ``yield``, only the exits of enclosing ``with``/``finally`` may run: no statement
    follows the return at any level, and no loop or ``try: ... else:`` takes over."""
    line = path[-1].statement
    if not isinstance(line, cst.SimpleStatementLine) or line.body[-1] is not ret:
        return False
    for step in path:
        owner = step.owner
        if step.after:
            return False
        if not isinstance(owner, (cst.FunctionDef, cst.With, cst.If, cst.Else, cst.Try, cst.ExceptHandler)):
            return False  # loops repeat their body; ``finally``/``match``/``except*`` are not worth it
        if isinstance(owner, cst.Try) and owner.orelse is not None:
            return False  # the ``else:`` would now run after the yield
    return True


def _always_ends(statements: Sequence[cst.BaseStatement], imports: ImportTable) -> bool:
    """Does every path through these statements end in ``return``/``raise``/``pytest.skip()``?"""
    if not statements:
        return False
    last = statements[-1]
    if isinstance(last, cst.SimpleStatementLine):
        return any(_ends_here(small, imports) for small in last.body)
    if isinstance(last, cst.With):
        return _suite_ends(last.body, imports)
    if isinstance(last, cst.If):
        return (
            _suite_ends(last.body, imports)
            and last.orelse is not None
            and (_always_ends([last.orelse], imports) if isinstance(last.orelse, cst.If)
                 else _suite_ends(last.orelse.body, imports))
        )
    if isinstance(last, cst.Try):
        if last.finalbody is not None and _suite_ends(last.finalbody.body, imports):
            return True
        return _suite_ends(last.body, imports) and all(
            _suite_ends(handler.body, imports) for handler in last.handlers
        )
    return False


def _suite_ends(suite: cst.BaseSuite, imports: ImportTable) -> bool:
    if isinstance(suite, cst.IndentedBlock):
        return _always_ends(suite.body, imports)
    assert isinstance(suite, cst.SimpleStatementSuite)
    return any(_ends_here(small, imports) for small in suite.body)


def _ends_here(small: cst.BaseSmallStatement, imports: ImportTable) -> bool:
    if isinstance(small, (cst.Return, cst.Raise)):
        return True
    return (
        isinstance(small, cst.Expr)
        and isinstance(small.value, cst.Call)
        and imports.qualified_name_of(small.value.func) in NO_RETURN_CALLS
    )


def annotation_for_yield(module: cst.Module, fixture: Fixture) -> cst.Annotation | None | bool:
    """The return annotation ``fixture`` needs once a ``return`` becomes ``yield``: None when it
    has none, the same one when it already names a generator, ``-> T`` as ``-> Iterator[T]``
    otherwise; False when no Iterator/Generator name is imported to write that with."""
    returns = fixture.function.returns
    if returns is None or _already_generator(returns):
        return returns
    return _iterator_annotation(module, fixture, returns) or False


def _already_generator(returns: cst.Annotation) -> bool:
    """``-> Iterator[dict]`` already describes a generator: keep it as it is."""
    annotation = returns.annotation
    base = annotation.value if isinstance(annotation, cst.Subscript) else annotation
    written = (dotted_name(base) or "").rsplit(".", 1)[-1]
    return written in SYNC_GENERIC or written in ASYNC_GENERIC or written in ("Iterable", "AsyncIterable")


def _iterator_annotation(
    module: cst.Module, fixture: Fixture, returns: cst.Annotation
) -> cst.Annotation | None:
    """``-> T`` as ``-> Iterator[T]`` (``Generator[T, None, None]``, or the async forms), written
    with a name the module already imports where the annotation can see it; None if there is none."""
    generics = ASYNC_GENERIC if fixture.is_async else SYNC_GENERIC
    available = _typing_names(module, fixture.function)
    for kind, nones in generics.items():
        for typing_module in TYPING_MODULES:
            local = available.get(f"{typing_module}.{kind}")
            if local is None:
                continue
            arguments = [returns.annotation] + [cst.Name("None")] * nones
            subscript = cst.Subscript(
                value=cst.parse_expression(local),
                slice=[cst.SubscriptElement(cst.Index(argument)) for argument in arguments],
            )
            return returns.with_changes(annotation=subscript)
    return None


def _typing_names(module: cst.Module, function: cst.FunctionDef) -> dict[str, str]:
    """``"typing.Iterator" -> "Iterator"`` / ``"typing.Iterator" -> "t.Iterator"`` for the imports
    at module level that are in effect when the annotation is evaluated: those above the fixture,
    or with ``from __future__ import annotations`` all of them, ``if TYPE_CHECKING:`` included."""
    lazy = _future_annotations(module)
    available: dict[str, str] = {}
    for statement in module.body:
        if not lazy and _contains(statement, function):
            break
        lines = _type_checking_body(statement) if lazy else None
        for line in lines if lines is not None else [statement]:
            if isinstance(line, cst.SimpleStatementLine):
                for small in line.body:
                    _add_typing_import(small, available)
    return available


def _type_checking_body(statement: cst.BaseStatement) -> Sequence[cst.BaseStatement] | None:
    """The statements under ``if TYPE_CHECKING:`` / ``if typing.TYPE_CHECKING:``."""
    if not isinstance(statement, cst.If) or not isinstance(statement.body, cst.IndentedBlock):
        return None
    test = dotted_name(statement.test) or ""
    return statement.body.body if test.rsplit(".", 1)[-1] == "TYPE_CHECKING" else None


def _add_typing_import(small: cst.BaseSmallStatement, available: dict[str, str]) -> None:
    kinds = (*SYNC_GENERIC, *ASYNC_GENERIC)
    if isinstance(small, cst.Import):
        for alias in small.names:
            full = dotted_name(alias.name)
            if full in TYPING_MODULES:
                local = dotted_name(alias.asname.name) if alias.asname is not None else full
                for kind in kinds:
                    available.setdefault(f"{full}.{kind}", f"{local}.{kind}")
    elif isinstance(small, cst.ImportFrom) and not small.relative:
        source = dotted_name(small.module) if small.module is not None else None
        if source not in TYPING_MODULES or isinstance(small.names, cst.ImportStar):
            return
        for alias in small.names:
            name = dotted_name(alias.name)
            if name in kinds:
                local = dotted_name(alias.asname.name) if alias.asname is not None else name
                available[f"{source}.{name}"] = local  # a bare name beats ``typing.Iterator``


def _future_annotations(module: cst.Module) -> bool:
    """``from __future__ import annotations`` among the module's leading statements."""
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.BaseString):
                continue  # the docstring
            if not isinstance(small, cst.ImportFrom) or dotted_name(small.module) != "__future__":
                return False
            if not isinstance(small.names, cst.ImportStar) and any(
                dotted_name(alias.name) == "annotations" for alias in small.names
            ):
                return True
    return False


def _contains(statement: cst.BaseStatement, function: cst.FunctionDef) -> bool:
    if statement is function:
        return True
    if isinstance(statement, cst.SimpleStatementLine):
        return False
    return any(node is function for node in walk(statement, enter_scopes=True))


RETURN_INSIDE_WITH = Rule(
    code="FXL206",
    name="return-inside-with",
    summary="A fixture returns a `with` target from inside the block, so the test gets it already closed",
    fix=FixSafety.UNSAFE,
    check=check,
    explanation="""\
## What it does
Flags a fixture that is not a generator and returns, from inside a `with` block, the object
that block bound with `as`: on its own (`return fh`) or held by a tuple, list, set or dict
display (`return fh, path`, `return {"conn": conn}`).

Not flagged: returning something derived from it (`return fh.read()`, `return Wrapper(fh)`);
a `with` without `as`, or whose target is not returned; a target rebound inside the block;
`with obj as x` on an object that exists already (its exit may close nothing); generator
fixtures; and context managers whose value is meant for use after the block: `pytest.raises`,
`pytest.warns`, `pytest.deprecated_call`, `warnings.catch_warnings`,
`contextlib.redirect_stdout`/`redirect_stderr`, `contextlib.nullcontext`, and
`sqlite3.connect` (its exit commits or rolls back but leaves the connection open).

## Why is this bad?
`return` leaves the `with` block, so the context manager exits before pytest even receives
the value: the file is closed, the temporary directory deleted, the patch undone, the
executor shut down. Checked with pytest 9.2: a fixture doing
`with open(path, "w+") as f: return f` hands every test a file with `f.closed == True`, and
`with tempfile.TemporaryDirectory() as d: return d` a path that no longer exists.

With `yield` instead, the block stays open while the test runs. pytest resumes the generator
after the test (also when the test failed), and the block exits then.

## Example
```python
@pytest.fixture
def log_file(tmp_path) -> IO[str]:
    with open(tmp_path / "app.log", "w+") as fh:
        return fh  # closed before the test starts
```

## Use instead
```python
@pytest.fixture
def log_file(tmp_path) -> Iterator[IO[str]]:
    with open(tmp_path / "app.log", "w+") as fh:
        yield fh
```

## Fix safety
The fix turns the `return` into `yield` and is unsafe: the resource now lives until teardown
instead of being cleaned up before the test, which is the point, but it changes what the test
sees. It is offered only when the result is exactly that fixture kept open:

- the flagged `return` is the fixture's only `return`;
- nothing runs after the new `yield` but the exits of the `with` (and `try`/`finally`) blocks
  around it: no statement follows it at any level, it is not in a loop, and no `try` around
  it has an `else:`;
- every other path ends in `raise`, `pytest.skip()`, `pytest.fail()`, `pytest.xfail()`,
  `pytest.exit()` or `sys.exit()`. A path that fell off the end returned `None` before; in a
  generator it fails setup with "did not yield a value".

A return annotation `-> T` becomes `-> Iterator[T]` (else `Generator[T, None, None]`; for
`async def`, `AsyncIterator[T]` or `AsyncGenerator[T, None]`) in the same edit, written with a
name the module already imports from `collections.abc`, `typing` or `typing_extensions`
(`from typing import Iterator`, `import typing`, `import collections.abc as cabc`, ...) where
the annotation can see it: above the fixture, or anywhere (`if TYPE_CHECKING:` included) in a
module with `from __future__ import annotations`. When no such name is imported, no fix is
offered, since the fix edits one place only: add `from collections.abc import Iterator` and run
`--fix` again.
""",
)
