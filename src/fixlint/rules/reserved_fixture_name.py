"""FXL013 reserved-fixture-name: a fixture named ``request``, which pytest refuses."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from fixlint.cst_util import literal_string
from fixlint.model import FIXTURE_DECORATORS, Fixture
from fixlint.rules.base import FileContext, Finding, Rule

RESERVED = "request"


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        if fixture.name != RESERVED or fixture.decorator_name not in FIXTURE_DECORATORS:
            continue
        argument = _name_argument(fixture)
        if argument is None:
            node: cst.CSTNode = fixture.function.name
            subject = f"fixture `{RESERVED}`"
            if fixture.function.name.value != RESERVED:  # ``name="request"`` preset by a decorator alias
                subject = f"fixture `{fixture.function.name.value}`, named `{RESERVED}` by its decorator,"
        elif literal_string(argument) == RESERVED:
            node, subject = argument, f"`name=\"{RESERVED}\"` on fixture `{fixture.function.name.value}`"
        else:
            continue  # ``name=SOME_CONSTANT``: the model fell back to the function's name
        yield RESERVED_FIXTURE_NAME.finding(
            node,
            f"{subject} takes the name of pytest's built-in `request` object: pytest refuses it when the "
            "decorator runs (\"'request' is a reserved word for fixtures, use another name\"), so this "
            "file fails to collect; give the fixture another name",
        )


def _name_argument(fixture: Fixture) -> cst.BaseExpression | None:
    """The ``name=`` value in the decorator call, if there is one."""
    expression = fixture.decorator.decorator
    if isinstance(expression, cst.Call):
        for arg in expression.args:
            if arg.keyword is not None and arg.keyword.value == "name":
                return arg.value
    return None



RESERVED_FIXTURE_NAME = Rule(
    code="FXL013",
    name="reserved-fixture-name",
    summary="A fixture named `request` is refused by pytest",
    fix=None,
    check=check,
    explanation="""\
## What it does
Flags a fixture whose name is `request`: a function `def request(...)` decorated with
`@pytest.fixture` (module level or a method of a test class), or any fixture given
`name="request"`. A fixture *requesting* `request` as a parameter is fine and not flagged, and
so is `@pytest.fixture(name="req")` on a function called `request`: the fixture's name is what
counts.

## Why is this bad?
`request` is the name under which pytest hands every fixture and test its `FixtureRequest`
object, so a fixture cannot take it. pytest checks this when the decorator is applied, that
is when the module is imported: checked with pytest 8.4 and 9.2, the file fails to collect
with `Failed: 'request' is a reserved word for fixtures, use another name`, and none of its
tests run; the collection error stops the whole run before any test (unless
`--continue-on-collection-errors`).

## Example
```python
@pytest.fixture
def request():
    return Request(method="GET", path="/")
```

## Use instead
```python
@pytest.fixture
def http_request():
    return Request(method="GET", path="/")
```
Tests that asked for `request` expecting this object now ask for `http_request`.

## Fix safety
No fix: renaming a fixture means renaming it in every test and fixture that requests it,
possibly in other files.
""",
)
