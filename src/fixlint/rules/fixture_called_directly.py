"""FXL402 fixture-called-directly: code calls a fixture function instead of requesting it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import libcst as cst

from fixlint.cst_util import all_params, binds, names_bound, walk
from fixlint.rules.base import FileContext, Finding, Rule


def check(context: FileContext) -> Iterator[Finding]:
    own = {fixture.function.name.value: fixture.name for fixture in context.fixtures if fixture.class_name is None}
    methods = {
        (fixture.class_name, fixture.function.name.value): fixture.name
        for fixture in context.fixtures
        if fixture.class_name is not None
    }
    imported = {local for item in context.summary.imports for local, _ in item.names}
    if not _called_in_text(context.source, set(own) | imported, {name for _, name in methods}):
        return
    functions = _module_fixture_functions(context, own)
    yield from _calls(context.module, functions, methods, frozenset(), None)


def _module_fixture_functions(context: FileContext, own: dict[str, str]) -> dict[str, str]:
    """Module-level names that are fixture functions -> the fixture's name: this file's
    fixtures and those imported from project files, when the name is bound only once."""
    imported = context.view.project.imported_functions(context.view.path, context.summary)
    found = {**own, **{local: definition.name for local, definition in imported.items()}}
    bound = Counter(name for node in walk(context.module) for name in binds(node))
    return {name: fixture for name, fixture in found.items() if bound[name] == 1}


def _called_in_text(source: bytes, functions: set[str], methods: set[str]) -> bool:
    """A cheap look at the text before walking the tree: is any of the names called at all?"""
    names = functions | {f"self.{name}" for name in methods} | {f"cls.{name}" for name in methods}
    if not names:
        return False
    pattern = rb"(?<![\w.])(" + b"|".join(re.escape(name.encode()) for name in sorted(names)) + rb")\s*\("
    for match in re.finditer(pattern, source):
        line_start = source.rfind(b"\n", 0, match.start()) + 1
        if not source[line_start : match.start()].rstrip().endswith(b"def"):
            return True
    return False


def _calls(
    node: cst.CSTNode,
    functions: dict[str, str],
    methods: dict[tuple[str, str], str],
    shadowed: frozenset[str],
    class_name: str | None,
) -> Iterator[Finding]:
    """Walk the module, keeping track of the names each function binds (a parameter or local of
    the same name is something else: a factory fixture's value, a helper)."""
    if isinstance(node, (cst.FunctionDef, cst.Lambda)):
        params = {param.name.value for param in all_params(node.params)}
        shadowed = shadowed | params | names_bound(node.body)
    if isinstance(node, cst.Call):
        finding = _direct_call(node, functions, methods, shadowed, class_name)
        if finding is not None:
            yield finding
    inner_class = node.name.value if isinstance(node, cst.ClassDef) else class_name
    for child in node.children:
        yield from _calls(child, functions, methods, shadowed, inner_class)


def _direct_call(
    call: cst.Call,
    functions: dict[str, str],
    methods: dict[tuple[str, str], str],
    shadowed: frozenset[str],
    class_name: str | None,
) -> Finding | None:
    func = call.func
    if isinstance(func, cst.Name) and func.value in functions and func.value not in shadowed:
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
