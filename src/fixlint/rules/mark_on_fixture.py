"""FXL010 mark-on-fixture: a ``@pytest.mark.*`` decorator on a fixture function.

Marks never had an effect on fixtures; pytest 8.4 warns, pytest 9 refuses to import the
module. A mark is recognised through import aliases (``import pytest as pt``, ``from pytest
import mark``) and through module-level aliases bound once (``slow = pytest.mark.slow``,
``needs_db = pytest.mark.skipif(...)``, ``m = pytest.mark``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst

from fixlint.cst_util import code_of, dotted_name, names_bound, short_code
from fixlint.imports import ImportTable
from fixlint.model import FIXTURE_DECORATORS, Fixture
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule

MARK = "pytest.mark"

# What the user most likely wanted from the mark, and how to get it.
_ADVICE = {
    "usefixtures": "request those fixtures as parameters of `{fixture}` instead",
    "skip": "call `pytest.skip(...)` inside `{fixture}` instead",
    "skipif": "call `pytest.skip(...)` inside `{fixture}` under that condition instead",
    "parametrize": "give `{fixture}` `params=[...]` and read `request.param` instead",
}
_DEFAULT_ADVICE = "put the mark on the tests that use `{fixture}` instead"


def check(context: FileContext) -> Iterator[Finding]:
    aliases: dict[str, str] | None = None  # built on first need: most fixtures have one decorator
    for fixture in context.fixtures:
        if fixture.decorator_name not in FIXTURE_DECORATORS or len(fixture.function.decorators) < 2:
            continue  # a project's own decorator may do anything with marks
        if aliases is None:
            aliases = mark_aliases(context.module, context.imports)
        marks = [mark_of(decorator, context.imports, aliases) for decorator in fixture.function.decorators]
        for index in _marks_applied_to_fixture(fixture, marks):
            yield _finding(fixture, index, marks[index])  # type: ignore[arg-type]


def _marks_applied_to_fixture(fixture: Fixture, marks: Sequence[str | None]) -> Iterator[int]:
    """Indexes of the mark decorators that reach the fixture: only marks stand between them and
    the fixture decorator (an unknown decorator in between may do anything with the mark)."""
    decorators = fixture.function.decorators
    own = next(i for i, decorator in enumerate(decorators) if decorator is fixture.decorator)
    for index, mark in enumerate(marks):
        if mark is None or index == own:
            continue
        between = marks[min(index, own) + 1 : max(index, own)]
        if all(other is not None for other in between):
            yield index


def mark_aliases(module: cst.Module, imports: ImportTable) -> dict[str, str]:
    """Module-level names bound exactly once to a mark or to ``pytest.mark`` itself:
    ``slow = pytest.mark.slow`` -> {"slow": "pytest.mark.slow"}."""
    aliases: dict[str, str] = {}
    for name, value in single_assignments(module).items():
        if name not in imports.names:
            qualified = _qualified_mark(value, imports, {})
            if qualified is not None:
                aliases[name] = qualified
    return aliases


def single_assignments(module: cst.Module) -> dict[str, cst.BaseExpression]:
    """Module-level ``name = value`` for names bound nowhere else at module level (not in
    another assignment, nor under a module-level ``if``/``try``/``for``, nor by a def or import)."""
    values: dict[str, list[cst.BaseExpression]] = {}
    rebound: set[str] = set()
    for statement in module.body:
        simple = isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
        small = statement.body[0] if simple else None  # type: ignore[union-attr]
        target = _single_target(small)
        if target is not None:
            values.setdefault(target, []).append(small.value)  # type: ignore[union-attr]
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            rebound.add(statement.name.value)  # what its body binds is local to it
        else:
            rebound |= names_bound(statement)
    return {name: bound[0] for name, bound in values.items() if len(bound) == 1 and name not in rebound}


def _single_target(small: cst.BaseSmallStatement | None) -> str | None:
    """``name`` for ``name = value`` / ``name: T = value``."""
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        return target.value if isinstance(target, cst.Name) else None
    if isinstance(small, cst.AnnAssign) and small.value is not None and isinstance(small.target, cst.Name):
        return small.target.value
    return None


def mark_of(decorator: cst.Decorator, imports: ImportTable, aliases: dict[str, str]) -> str | None:
    """``pytest.mark.skipif`` for ``@pt.mark.skipif(...)`` / ``@needs_db``; None when not a mark."""
    qualified = _qualified_mark(decorator.decorator, imports, aliases)
    return qualified if qualified is not None and qualified != MARK else None


def _qualified_mark(
    expression: cst.BaseExpression, imports: ImportTable, aliases: dict[str, str]
) -> str | None:
    target = expression.func if isinstance(expression, cst.Call) else expression
    written = dotted_name(target)
    if written is None:
        return None
    head, dot, rest = written.partition(".")
    qualified = f"{aliases[head]}{dot}{rest}" if head in aliases else imports.qualify(written)
    return qualified if qualified == MARK or qualified.startswith(MARK + ".") else None


def _finding(fixture: Fixture, index: int, mark: str) -> Finding:
    decorator = fixture.function.decorators[index]
    function = fixture.function.name.value
    message = (
        f"`@{short_code(decorator.decorator)}` on fixture `{function}` has no effect: marks never apply "
        f"to fixtures; pytest 8.4 warns, and pytest 9 refuses to import this file (\"Marks cannot be "
        f"applied to fixtures\"); {_advice(decorator, mark.split('.')[2], function)}"
    )
    return MARK_ON_FIXTURE.finding(decorator, message, _removal_fix(fixture.function, index))


def _advice(decorator: cst.Decorator, mark: str, function: str) -> str:
    """How to get what the mark was meant to do."""
    requested = _requested_names(decorator) if mark == "usefixtures" else []
    if requested:
        listed = ", ".join(f"`{name}`" for name in requested)
        as_what = "a parameter" if len(requested) == 1 else "parameters"
        return f"request {listed} as {as_what} of `{function}` instead"
    return _ADVICE.get(mark, _DEFAULT_ADVICE).format(fixture=function)


def _requested_names(decorator: cst.Decorator) -> list[str]:
    """The fixture names in ``@pytest.mark.usefixtures("a", "b")`` (empty when any is not a literal)."""
    expression = decorator.decorator
    if not isinstance(expression, cst.Call):
        return []
    names = [arg.value.evaluated_value if isinstance(arg.value, cst.SimpleString) else None
             for arg in expression.args]
    return names if all(isinstance(item, str) for item in names) else []  # type: ignore[return-value]


def _removal_fix(function: cst.FunctionDef, index: int) -> Fix | None:
    """Drop the decorator line; the comments on and above it stay where the line was."""
    decorators = list(function.decorators)
    removed = decorators.pop(index)
    if "#" in code_of(removed.decorator):
        return None  # a comment inside the mark's arguments has no place to go
    kept = list(removed.leading_lines)
    comment = removed.trailing_whitespace.comment
    if comment is not None:
        kept.append(cst.EmptyLine(indent=True, comment=comment))
    if index < len(decorators):
        following = decorators[index]
        decorators[index] = following.with_changes(leading_lines=[*kept, *following.leading_lines])
        new = function.with_changes(decorators=decorators)
    else:
        new = function.with_changes(
            decorators=decorators, lines_after_decorators=[*kept, *function.lines_after_decorators]
        )
    return Fix(FixSafety.SAFE, f"Remove `@{short_code(removed.decorator, 40)}`", function, new)


MARK_ON_FIXTURE = Rule(
    code="FXL010",
    name="mark-on-fixture",
    summary="A `@pytest.mark.*` decorator on a fixture has no effect and is an error since pytest 9",
    fix=FixSafety.SAFE,
    check=check,
    explanation="""\
## What it does
Flags a `@pytest.mark.*` decorator on a fixture function, above or below `@pytest.fixture`:
`@pytest.mark.usefixtures("db")`, `@pt.mark.slow` after `import pytest as pt`, `@mark.skip`
after `from pytest import mark`, and module-level mark aliases such as
`needs_db = pytest.mark.skipif(...)` used as `@needs_db`.

Only fixtures made by `pytest.fixture`, `pytest.yield_fixture` or `pytest_asyncio.fixture` are
checked, and only marks that reach the fixture: when a decorator that is not a mark sits
between the mark and the fixture decorator, nothing is reported, since that decorator may do
anything with the mark.

## Why is this bad?
A mark on a fixture never did anything: `usefixtures` does not set up the other fixtures,
`skipif` does not skip, `parametrize` does not parametrize. It is a common mistake to expect
otherwise. Checked by running small projects:

- pytest 8.4 runs the tests as if the mark were not there and warns
  `PytestRemovedIn9Warning: Marks applied to fixtures have no effect` (the warning dates from
  pytest 7.4).
- pytest 9.0 turns that warning into an error, and later 9.x releases fail outright with
  `Failed: Marks cannot be applied to fixtures.` Either way it happens when the decorator is
  applied, that is when the module is imported: the whole file fails to collect, also when no
  test uses the fixture, and a collection error stops the run before any test runs (unless
  `--continue-on-collection-errors`); a root `conftest.py` stops pytest outright. Checked on pytest
  9.0 and 9.2 with the mark above and below `@pytest.fixture`, on module-level fixtures and on
  fixture methods of a test class.

## Example
```python
@pytest.fixture
@pytest.mark.usefixtures("clean_database")
def user():
    return User.create("alice")
```

## Use instead
Ask for what the mark was meant to do in a way that works on a fixture:
```python
@pytest.fixture
def user(clean_database):
    return User.create("alice")
```
For `skip`/`skipif`, call `pytest.skip("reason")` inside the fixture (every test using it is
skipped); for `parametrize`, give the fixture `params=[...]` and read `request.param`; any
other mark belongs on the tests that use the fixture (or on their class or module through
`pytestmark`).

## Fix safety
The fix removes the decorator line and is safe: the mark had no effect on any pytest version,
so every run that passes today runs the same way without it (and on pytest 9 the file can be
collected again). The mark's arguments are no longer evaluated when the module is imported.
A comment at the end of the removed line, or on the lines above it, is kept on its own line
where the decorator was. No fix is offered when the mark's arguments contain a comment.

The fix does not do what the mark was meant to do: read the message, which says how to get
that.
""",
)
