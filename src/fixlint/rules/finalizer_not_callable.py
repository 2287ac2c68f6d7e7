"""FXL103 finalizer-not-callable: ``addfinalizer`` is given the result of calling the cleanup.

``request.addfinalizer(srv.stop())`` stops the server during setup and registers ``None``.
Only calls known not to return a callable are flagged: a function of this file that never
returns a value (or an ``async`` one, whose result is a coroutine), a releasing method called
on one of the fixture's own objects (``srv.stop()``), or a releasing standard-library function
reached through its module (``shutil.rmtree(path)``). Anything else may be a factory that
returns the cleanup (``restore_env(saved)``), and "fixing" it would break a working fixture.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterator, Sequence

import libcst as cst

from fixlint.cst_util import dotted_name, is_docstring, root_name, short_code, split_leading_lines, walk
from fixlint.imports import ImportTable
from fixlint.model import Finalizer, Fixture
from fixlint.resources import is_release_function, is_release_name, name_parts
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule
from fixlint.rules.finalizer_common import fixture_locals, is_partial, local_defs, parameters

# Words that say a call BUILDS a function rather than doing the work (``res.close_callback()``,
# ``db.cleanup_hook()``): whatever release word the name also holds, the result may be callable.
_BUILDS_CALLABLE = frozenset(
    {"callback", "cb", "hook", "handler", "factory", "finalizer", "finaliser", "fn", "func", "function"}
)


class _Result(enum.Enum):
    """What calling the argument of ``addfinalizer`` is known to give."""

    UNKNOWN = "unknown"  # maybe the cleanup function itself: not flagged
    NONE = "none"  # a function of this file that never returns a value
    COROUTINE = "coroutine"  # an ``async def`` of this file
    RELEASED = "released"  # a call that does the release itself: ``srv.stop()``, ``shutil.rmtree(p)``


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        defs = local_defs(fixture)
        for finalizer in fixture.finalizers:
            call = finalizer.argument
            if isinstance(call, cst.Call) and not is_partial(call, context.imports):
                finding = _check_call(context, fixture, finalizer, call, defs)
                if finding is not None:
                    yield finding


def _check_call(
    context: FileContext,
    fixture: Fixture,
    finalizer: Finalizer,
    call: cst.Call,
    defs: dict[str, cst.FunctionDef],
) -> Finding | None:
    result = _result_of(context, fixture, call, defs)
    if result is _Result.UNKNOWN:
        return None
    called = short_code(call)
    registration = f"`{finalizer.receiver}.addfinalizer(...)`"
    if result is _Result.COROUTINE:
        message = (
            f"{registration} registers the coroutine that `{called}` returns; it is never awaited, so "
            f"the cleanup never runs, and {_outcome(finalizer)}"
        )
        return FINALIZER_NOT_CALLABLE.finding(finalizer.call.node, message)
    if result is _Result.NONE:
        registered = f"the result of `{called}`, which is None"
    else:
        registered = f"what `{called}` returns instead of `{short_code(call.func)}` itself"
    message = (
        f"{registration} registers {registered}: `{called}` runs now, during setup, and "
        f"{_outcome(finalizer)}"
    )
    return FINALIZER_NOT_CALLABLE.finding(finalizer.call.node, message, _fix(context, call))


def _outcome(finalizer: Finalizer) -> str:
    if finalizer.receiver == "request.node":
        return (
            "`request.node.addfinalizer` fails at once with AssertionError (not callable): "
            "the test errors in setup"
        )
    return "pytest fails at teardown with TypeError (not callable): the test is reported with an error"


# ---------------------------------------------------------------- what the call returns


def _result_of(
    context: FileContext, fixture: Fixture, call: cst.Call, defs: dict[str, cst.FunctionDef]
) -> _Result:
    own = parameters(fixture.function) | fixture_locals(fixture.function)
    func = call.func
    if isinstance(func, cst.Name) and func.value not in defs and func.value in own:
        return _Result.UNKNOWN  # a value the fixture was given or built: what calling it returns is unknown
    callee = _called_def(context.module, fixture, call, defs)
    if callee is not None:
        if callee.decorators or _is_generator(callee):
            return _Result.UNKNOWN
        if callee.asynchronous is not None:
            return _Result.COROUTINE
        return _Result.NONE if _returns_none(callee) else _Result.UNKNOWN
    if not isinstance(func, cst.Attribute):
        return _Result.UNKNOWN  # a function from elsewhere may well be a factory (``restore_env(saved)``)
    if root_name(func.value) in own:
        return _Result.RELEASED if _release_method(func) else _Result.UNKNOWN
    return _Result.RELEASED if _stdlib_release_function(func, context.imports) else _Result.UNKNOWN


def _release_method(func: cst.Attribute) -> bool:
    """``srv.stop``, ``conn.aclose``: a releasing method, not one that builds a callback."""
    words = name_parts(func.attr.value)
    return is_release_name(func) and not words & _BUILDS_CALLABLE


def _stdlib_release_function(func: cst.Attribute, imports: ImportTable) -> bool:
    """``shutil.rmtree`` / ``os.remove`` through ``import shutil`` (any alias): standard-library
    functions that release return None. A project's ``helpers.cleanup`` may return a function."""
    receiver = (dotted_name(func) or "").rpartition(".")[0]
    module = imports.qualify(receiver).split(".")[0] if receiver else ""
    return is_release_function(func, imports) and module in sys.stdlib_module_names


def _called_def(
    module: cst.Module, fixture: Fixture, call: cst.Call, defs: dict[str, cst.FunctionDef]
) -> cst.FunctionDef | None:
    """The function ``call`` calls, when this file defines it: a local def, a module-level def,
    or ``self.method()`` of the fixture's own class."""
    func = call.func
    if isinstance(func, cst.Name):
        return defs.get(func.value) or _unique_def(module.body, func.value)
    if (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value in ("self", "cls")
        and fixture.class_name is not None
    ):
        owner = _class_of(module, fixture.function)
        if owner is not None and isinstance(owner.body, cst.IndentedBlock):
            return _unique_def(owner.body.body, func.attr.value)
    return None


def _unique_def(statements: Sequence[cst.CSTNode], name: str) -> cst.FunctionDef | None:
    found = [
        statement
        for statement in statements
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and statement.name.value == name
    ]
    return found[0] if len(found) == 1 and isinstance(found[0], cst.FunctionDef) else None


def _class_of(module: cst.Module, function: cst.FunctionDef) -> cst.ClassDef | None:
    pending: list[cst.CSTNode] = list(module.body)
    while pending:
        node = pending.pop()
        if isinstance(node, cst.ClassDef) and isinstance(node.body, cst.IndentedBlock):
            if any(statement is function for statement in node.body.body):
                return node
            pending.extend(node.body.body)
    return None


def _is_generator(function: cst.FunctionDef) -> bool:
    return any(isinstance(node, cst.Yield) for node in walk(function.body))


def _returns_none(function: cst.FunctionDef) -> bool:
    return all(
        node.value is None or (isinstance(node.value, cst.Name) and node.value.value == "None")
        for node in walk(function.body)
        if isinstance(node, cst.Return)
    )


# ---------------------------------------------------------------- the fix


def _fix(context: FileContext, call: cst.Call) -> Fix | None:
    """``x.close()`` -> ``x.close``; ``f(a, b)`` -> ``functools.partial(f, a, b)`` (arguments are
    still evaluated at registration, as today, and the call moves to teardown). Comments between
    the parentheses stay: with arguments they go into the partial's; without, no fix."""
    if _has_comment(call.whitespace_after_func):
        return None
    parens = {"lpar": [*call.lpar, *call.func.lpar], "rpar": [*call.func.rpar, *call.rpar]}
    if not call.args:
        if _has_comment(call.whitespace_before_args):
            return None
        itself = call.func.with_changes(**parens)
        return Fix(FixSafety.SAFE, f"Pass `{short_code(call.func)}` itself", call, itself)
    existing = _partial_reference(context.module)
    partial = cst.Call(
        func=cst.parse_expression(existing or "functools.partial"),
        args=[cst.Arg(call.func, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), *call.args],
        whitespace_before_args=call.whitespace_before_args,
        lpar=call.lpar,
        rpar=call.rpar,
    )
    title = f"Register `{short_code(partial)}`"
    if existing is not None:
        return Fix(FixSafety.SAFE, title, call, partial)
    # A fix replaces one node: here the module, to add ``import functools`` as well.
    module = context.module
    replaced = module.deep_replace(call, partial)
    assert isinstance(replaced, cst.Module)
    return Fix(FixSafety.SAFE, title + " and import functools", module, _with_functools(replaced))


def _has_comment(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Comment) or any(_has_comment(child) for child in node.children)


def _partial_reference(module: cst.Module) -> str | None:
    """How this file can spell ``functools.partial`` through a top-level import, if it can."""
    via_module = None
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.ImportFrom) and _import_module(statement) == "functools":
                if isinstance(small.names, Sequence):
                    for alias in small.names:
                        if dotted_name(alias.name) == "partial":
                            return _local_name(alias) or "partial"
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    if dotted_name(alias.name) == "functools":
                        via_module = f"{_local_name(alias) or 'functools'}.partial"
    return via_module


def _local_name(alias: cst.ImportAlias) -> str | None:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return None


def _with_functools(module: cst.Module) -> cst.Module:
    """Add ``import functools`` where isort would: among the leading standard-library
    ``import x`` lines in alphabetical order (under the group's heading comment, if any), else
    in a group of its own above the first import, whose comments stay with it."""
    body = list(module.body)
    start = 0
    while start < len(body) and (is_docstring(body[start]) or _import_module(body[start]) == "__future__"):
        start += 1
    new = cst.SimpleStatementLine([cst.Import(names=[cst.ImportAlias(cst.Name("functools"))])])
    if start == len(body):
        body.append(new)
        return module.with_changes(body=body)
    first = _import_module(body[start])
    if first is not None and first.split(".")[0] in sys.stdlib_module_names:
        position = _stdlib_position(body, start)
        if position == start:  # first in the group: the group's heading and spacing go above it
            new = new.with_changes(leading_lines=body[start].leading_lines)
            body[start] = body[start].with_changes(leading_lines=())
        body.insert(position, new)
    else:
        blanks, comments = split_leading_lines(body[start])
        new = new.with_changes(leading_lines=blanks)
        body[start] = body[start].with_changes(leading_lines=(cst.EmptyLine(), *comments))
        body.insert(start, new)
    return module.with_changes(body=body)


def _stdlib_position(body: list[cst.BaseStatement], start: int) -> int:
    """Where ``import functools`` goes in the standard-library group that starts at ``start``:
    before the first ``from`` import or the first ``import x`` that sorts after it."""
    end = start
    while end < len(body) and _import_module(body[end]) is not None:
        if end > start and body[end].leading_lines:
            break  # a blank line or a comment starts the next group
        end += 1
    for index in range(start, end):
        statement = body[index]
        assert isinstance(statement, cst.SimpleStatementLine)
        module = _import_module(statement) or ""
        if isinstance(statement.body[0], cst.ImportFrom) or module.lower() > "functools":
            return index
    return end


def _import_module(statement: cst.BaseStatement) -> str | None:
    """The module a one-import line imports (``os`` for ``import os``), else None."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Import):
        return dotted_name(small.names[0].name)
    if isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None:
        return dotted_name(small.module)
    return None


FINALIZER_NOT_CALLABLE = Rule(
    code="FXL103",
    name="finalizer-not-callable",
    summary="addfinalizer is given the result of calling the cleanup instead of the cleanup",
    fix=FixSafety.SAFE,
    check=check,
    explanation="""\
## What it does
Flags `request.addfinalizer(srv.stop())` and `request.addfinalizer(cleanup(path))`: the
argument is the result of a call that is known not to return a function. That is:

- a function of the same file (a module-level function, one defined in the fixture, or a
  method of the fixture's class called on `self`) that never returns a value, or that is
  `async` (it returns a coroutine);
- a releasing method (`close`, `stop`, `shutdown`, `terminate`, `cleanup`, `remove`, ...)
  called on one of the fixture's own objects or parameters: `srv.stop()`, `tmp_file.unlink()`;
- a releasing standard-library function called through its module: `shutil.rmtree(path)`,
  `os.remove(path)`.

Anything else may return the cleanup function, so it is not flagged: `functools.partial(...)`
(through any import alias), functions of the same file that return a lambda, a nested function
or anything else, functions imported from elsewhere whatever their name
(`restore_env(saved)` may return the function that restores), and methods whose name says
they build a function (`res.close_callback()`, `db.cleanup_hook()`).

## Why is this bad?
`srv.stop()` runs right away, during setup, so the test gets a stopped server. What it
returns (`None`) is stored as the finalizer: `request.addfinalizer` does not check it, and
pytest fails at teardown with `TypeError: 'NoneType' object is not callable`, so even a
passing test is reported with an error. `request.node.addfinalizer` does check, and fails at
once with an `AssertionError`, so the test errors in setup.

## Example
```python
@pytest.fixture
def server(request):
    srv = start_server()
    request.addfinalizer(srv.stop())
    request.addfinalizer(shutil.rmtree(srv.log_dir))
    return srv
```

## Use instead
```python
@pytest.fixture
def server(request):
    srv = start_server()
    request.addfinalizer(srv.stop)
    request.addfinalizer(functools.partial(shutil.rmtree, srv.log_dir))
    return srv
```

## Fix safety
A call without arguments becomes the callable itself (`srv.stop()` -> `srv.stop`). A call with
arguments becomes `functools.partial(f, args...)`, which evaluates the arguments now, as today's
code does, and calls `f` at teardown. The fix uses the file's own `from functools import
partial` or `import functools` (under any alias); when there is neither, it adds
`import functools` with the other standard-library imports, or in a group of its own above the
first import (the comments above that import stay with it). Both are safe: today's code always
errors (at teardown, or in setup for `request.node.addfinalizer`), so no passing run changes.
No fix is offered for an `async` cleanup (registering the coroutine function would not await
it), nor when a comment sits between the parentheses of a call without arguments.
""",
)
