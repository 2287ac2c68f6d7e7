"""FXL402 fixture-called-directly: code calls a fixture function instead of requesting it."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from collections.abc import Iterator, Sequence

import libcst as cst

from fixlint.cst_util import all_params, binds, children, names_bound, walk
from fixlint.rules.base import FileContext, Finding, Rule
from fixlint.slicing import Dropped


def check(context: FileContext) -> Iterator[Finding]:
    own = {fixture.function.name.value: fixture.name for fixture in context.fixtures if fixture.class_name is None}
    methods = {
        (fixture.class_name, fixture.function.name.value): fixture.name
        for fixture in context.fixtures
        if fixture.class_name is not None
    }
    if context.project is not None and any(item.names for item in context.summary.imports):
        imported = context.project.imported_functions(Path(context.path).absolute(), context.summary)
        own.update((local, definition.name) for local, definition in imported.items())
    calls = _calls_in_text(context.source, set(own), {name for _, name in methods})
    if not calls:
        return
    module = context.module
    if context.sliced is not None and any(_unshadowed(call, context.sliced.dropped) for call in calls):
        module = context.whole_module()  # a call in a test the slice left out
    # Bindings at module and class level (``walk`` does not enter functions): a name bound twice
    # is not surely the fixture.
    bound = Counter(name for node in walk(module) for name in binds(node))
    functions = {name: fixture for name, fixture in own.items() if bound[name] == 1}
    yield from _calls(module, functions, methods, (), None)


def _calls_in_text(source: bytes, functions: set[str], methods: set[str]) -> list[tuple[int, str]]:
    """A cheap look at the text before walking the tree: where are the names called?"""
    names = functions | {f"self.{name}" for name in methods} | {f"cls.{name}" for name in methods}
    if not names:
        return []
    pattern = rb"(?<![\w.])(" + b"|".join(re.escape(name.encode()) for name in sorted(names)) + rb")\s*\("
    calls = []
    for match in re.finditer(pattern, source):
        line_start = source.rfind(b"\n", 0, match.start()) + 1
        if not source[line_start : match.start()].rstrip().endswith(b"def"):
            calls.append((match.start(), match.group(1).decode()))
    return calls


def _unshadowed(call: tuple[int, str], dropped: Sequence[Dropped]) -> bool:
    """Is this call in a test the slice left out, and not of one of that test's parameters
    (a factory fixture's value: ``def test_x(make_user): make_user()``)?"""
    offset, name = call
    for test in dropped:
        if test.span[0] <= offset < test.span[1]:
            return name not in test.parameters
    return False


def _calls(
    node: cst.CSTNode,
    functions: dict[str, str],
    methods: dict[tuple[str, str], str],
    scopes: tuple[cst.FunctionDef | cst.Lambda, ...],
    class_name: str | None,
) -> Iterator[Finding]:
    """Walk the module, remembering the enclosing functions: a parameter or local of the same
    name in one of them is something else (a factory fixture's value, a helper)."""
    if isinstance(node, (cst.FunctionDef, cst.Lambda)):
        scopes = (*scopes, node)
    elif isinstance(node, cst.Call):
        finding = _direct_call(node, functions, methods, scopes, class_name)
        if finding is not None:
            yield finding
    inner_class = node.name.value if isinstance(node, cst.ClassDef) else class_name
    for child in children(node):
        yield from _calls(child, functions, methods, scopes, inner_class)


def _direct_call(
    call: cst.Call,
    functions: dict[str, str],
    methods: dict[tuple[str, str], str],
    scopes: tuple[cst.FunctionDef | cst.Lambda, ...],
    class_name: str | None,
) -> Finding | None:
    func = call.func
    if isinstance(func, cst.Name) and func.value in functions and not _shadowed(func.value, scopes):
        return FIXTURE_CALLED_DIRECTLY.finding(call, _message(func.value, functions[func.value]))
    if (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value in ("self", "cls")
        and (class_name, func.attr.value) in methods
    ):
        called = f"{func.value.value}.{func.attr.value}"
        return FIXTURE_CALLED_DIRECTLY.finding(call, _message(called, methods[(class_name, func.attr.value)]))
    return None


def _shadowed(name: str, scopes: tuple[cst.FunctionDef | cst.Lambda, ...]) -> bool:
    """Does an enclosing function bind ``name`` (a parameter, a local)?"""
    return any(
        name in {param.name.value for param in all_params(scope.params)} or name in names_bound(scope.body)
        for scope in scopes
    )


def _message(called: str, fixture: str) -> str:
    return (
        f"`{called}()` calls the fixture `{fixture}` directly: pytest fails this call with "
        f"'Fixture \"{fixture}\" called directly'; request `{fixture}` as a parameter instead"
    )


FIXTURE_CALLED_DIRECTLY = Rule(
    code="FXL402",
    name="fixture-called-directly",
    summary="A fixture function is called like a plain function",
    explanation='''\
## What it does
Checks for calls of a fixture function: a fixture defined in the same module, a fixture
method called through `self` or `cls`, or a fixture imported from another module of the
project. A parameter or local variable of the same name (the usual "factory as fixture"
pattern, where the test calls the value the fixture returned) is not a fixture call.

## Why is this bad?
The fixture decorator replaces the function with an object that refuses to be called:
pytest fails the call with `Fixture "db" called directly. Fixtures are not meant to be
called directly, but are created automatically when test functions request them as
parameters.` Helpers that call a fixture to reuse its setup fail the same way.

## Example
```python
@pytest.fixture
def user():
    return User(name="ada")


def test_greeting():
    assert greet(user()) == "Hello, ada"
```

## Use instead
Request the fixture, or move the shared code into a plain function both can call:
```python
def test_greeting(user):
    assert greet(user) == "Hello, ada"
```

## Fix safety
No fix: turning a call into a request changes when the fixture runs and what the test
receives.
''',
    fix=None,
    check=check,
)
