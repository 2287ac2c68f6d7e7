"""FXL014 misordered-fixture-decorator: ``@classmethod``/``@staticmethod`` above the fixture decorator.

pytest looks fixtures up on the class; a ``classmethod`` or ``staticmethod`` object wrapping the
fixture hides it (pytest 9.2 does not register one under ``@classmethod`` at all). The fix swaps
the two lines, which is unsafe: see the explanation's "Fix safety".
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from fixlint.cst_util import short_code
from fixlint.model import FIXTURE_DECORATORS, Fixture
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule
from fixlint.rules.mark_on_fixture import mark_aliases, mark_of

WRAPPERS = ("classmethod", "staticmethod")


def check(context: FileContext) -> Iterator[Finding]:
    aliases: dict[str, str] | None = None
    for fixture in context.fixtures:
        if fixture.class_name is None or fixture.decorator_name not in FIXTURE_DECORATORS:
            continue  # outside a class neither order makes a working fixture
        decorators = fixture.function.decorators
        own = next(i for i, decorator in enumerate(decorators) if decorator is fixture.decorator)
        for index in range(own):
            wrapper = _wrapper(decorators[index], context)
            if wrapper is None:
                continue
            if aliases is None:
                aliases = mark_aliases(context.module, context.imports)
            between = decorators[index + 1 : own]
            if all(mark_of(decorator, context.imports, aliases) for decorator in between):
                # Marks in between are FXL010's to remove; once they are gone the swap applies.
                fix = _swap(fixture.function, index) if not between else None
                yield _finding(fixture, decorators[index], wrapper, fix)


def _wrapper(decorator: cst.Decorator, context: FileContext) -> str | None:
    """``classmethod``/``staticmethod`` written as the builtin (not rebound by an import)."""
    expression = decorator.decorator
    if isinstance(expression, cst.Name) and expression.value in WRAPPERS:
        if expression.value not in context.imports.names:
            return expression.value
    return None


def _finding(fixture: Fixture, decorator: cst.Decorator, wrapper: str, fix: Fix | None) -> Finding:
    name = fixture.function.name.value
    written = f"@{short_code(fixture.decorator.decorator, 40)}"
    if wrapper == "classmethod":
        consequence = (
            f"pytest 9.2 does not register the fixture (\"cannot discover fixture '{name}' because it "
            f"is wrapped by @classmethod\"), so tests of `{fixture.class_name}` that request "
            f"`{fixture.name}` get \"fixture not found\" or another fixture of that name (pytest 8.4 on "
            "Python 3.13 too, without a warning)"
        )
    else:
        consequence = (
            f"pytest 9.2 warns \"fixture '{name}' is wrapped by @staticmethod above @pytest.fixture\" "
            "while collecting, which fails collection under `-W error`"
        )
    return MISORDERED_FIXTURE_DECORATOR.finding(
        decorator,
        f"`@{wrapper}` is above `{written}` on `{name}`: {consequence}; put `{written}` on top",
        fix,
    )


def _swap(function: cst.FunctionDef, index: int) -> Fix:
    """Exchange decorators ``index`` and ``index + 1``. The comment lines above the pair stay on
    top; a decorator keeps its own end-of-line comment and the comments just above it."""
    decorators = list(function.decorators)
    wrapper, fixture = decorators[index], decorators[index + 1]
    decorators[index] = fixture.with_changes(leading_lines=[*wrapper.leading_lines, *fixture.leading_lines])
    decorators[index + 1] = wrapper.with_changes(leading_lines=[])
    title = f"Put `@{short_code(fixture.decorator, 40)}` above `@{short_code(wrapper.decorator)}`"
    return Fix(FixSafety.UNSAFE, title, function, function.with_changes(decorators=decorators))


MISORDERED_FIXTURE_DECORATOR = Rule(
    code="FXL014",
    name="misordered-fixture-decorator",
    summary="`@classmethod` or `@staticmethod` above `@pytest.fixture` hides the fixture from pytest",
    fix=FixSafety.UNSAFE,
    check=check,
    explanation="""\
## What it does
Flags a fixture method of a class whose `@classmethod` or `@staticmethod` decorator sits above
the fixture decorator (`@pytest.fixture`, `@pytest_asyncio.fixture`, through any import alias),
directly or with only marks in between.

## Why is this bad?
Decorators apply bottom-up, so with `@classmethod` on top the class attribute is a
`classmethod` object wrapping the fixture, and pytest has to see through it. Checked by
running small projects:

- `@classmethod` above: pytest 9.2 does not register the fixture. It warns `PytestWarning:
  cannot discover fixture 'x' because it is wrapped by @classmethod; place @pytest.fixture
  above @classmethod`, and a test that requests it fails with `fixture 'x' not found`, or
  silently gets another fixture of that name from a `conftest.py`; an autouse fixture
  silently never runs. pytest 8.4 finds the fixture on Python 3.9 to 3.12 (where
  `classmethod` passes attribute lookups through) but not on Python 3.13, where it fails the
  same way without any warning.
- `@staticmethod` above: the fixture works on pytest 8.4 and 9.2, but pytest 9.2 warns
  `fixture 'x' is wrapped by @staticmethod above @pytest.fixture; place @pytest.fixture above
  @staticmethod` while collecting, and with `-W error` (or `filterwarnings = error`) the class
  fails to collect.

With `@pytest.fixture` on top, both forms work on pytest 9.2, and on pytest 8.4 with Python
3.10 or newer.

## Example
```python
class TestAccounts:
    @classmethod
    @pytest.fixture(scope="class")
    def bank(cls):
        cls.shared_bank = Bank()
        return cls.shared_bank
```

## Use instead
```python
class TestAccounts:
    @pytest.fixture(scope="class")
    @classmethod
    def bank(cls):
        cls.shared_bank = Bank()
        return cls.shared_bank
```

## Fix safety
The fix swaps the two decorator lines (comment lines above the pair stay on top; each
decorator keeps its own end-of-line comment). It is offered only when the two are adjacent;
remove marks in between first (FXL010 does).

The fix is unsafe, for two reasons found by running it:

- On Python 3.9 with pytest 8.4 or older, the correct order is the one that breaks: `@pytest.fixture`
  cannot wrap a `classmethod` or `staticmethod` object there, and the module fails to import
  with `AttributeError: 'staticmethod' object has no attribute '__name__'`. A project that
  still tests on Python 3.9 may have chosen the order on purpose.
- For `@classmethod` on pytest 9.2 (or Python 3.13), the fix brings back a fixture that pytest
  ignores today: an autouse fixture starts running, and a test that got a same-named fixture
  from a `conftest.py` now gets this one.

On Python 3.10 or newer with a `@staticmethod`, the swap changes nothing but the warning.
""",
)
