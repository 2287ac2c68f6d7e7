"""FXL403 fixture-dependency-cycle: fixtures that request each other in a circle."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from fixlint.model import Fixture
from fixlint.rules.base import FileContext, Finding, Rule
from fixlint.summary import FixtureDef
from fixlint.view import FileView

_MAX_DEPTH = 50  # longer chains are not followed (none is that deep in practice)


def check(context: FileContext) -> Iterator[Finding]:
    if not any(fixture.parameters for fixture in context.fixtures):
        return
    view = context.view
    own = {view.definition(fixture): fixture for fixture in context.fixtures}
    reported: set[frozenset[FixtureDef]] = set()
    for fixture in context.fixtures:
        start = view.definition(fixture)
        cycle = _cycle_from(view, start, fixture.class_name)
        if cycle is None or frozenset(cycle) in reported:
            continue
        reported.add(frozenset(cycle))
        # Report once, at the first of this file's fixtures in the cycle (by line).
        first = min((d for d in cycle if d in own), key=lambda d: (d.line, d.name))
        position = cycle.index(first)
        ordered = cycle[position:] + cycle[:position]
        anchor = _parameter(own[first], ordered[1].name if len(ordered) > 1 else first.name)
        yield FIXTURE_DEPENDENCY_CYCLE.finding(anchor, _message(view, ordered))


def _cycle_from(view: FileView, start: FixtureDef, class_name: str | None) -> list[FixtureDef] | None:
    """A path start -> ... -> start through certain resolutions, seen from ``class_name``."""
    path: list[FixtureDef] = [start]
    seen: set[FixtureDef] = set()

    def visit(current: FixtureDef) -> bool:
        if len(path) > _MAX_DEPTH:
            return False
        for name in current.requests:
            if name == "request":
                continue
            after = current if name == current.name else None
            for target in view.resolve(name, class_name, after=after).fixtures or ():
                if target == start:
                    return True
                if target in seen:
                    continue
                seen.add(target)
                path.append(target)
                if visit(target):
                    return True
                path.pop()
        return False

    return path if visit(start) else None


def _parameter(fixture: Fixture, name: str) -> cst.CSTNode:
    """The parameter requesting ``name`` (or the function name when it was requested through
    ``request.getfixturevalue``)."""
    params = fixture.function.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == name:
            return param
    return fixture.function.name


def _message(view: FileView, cycle: list[FixtureDef]) -> str:
    steps = [f"`{definition.name}`{_where(view, definition)}" for definition in cycle]
    chain = " -> ".join([*steps, f"`{cycle[0].name}`"])
    return (
        f"fixtures request each other in a circle: {chain}; every test that uses one of them "
        f"errors with \"recursive dependency involving fixture '{cycle[0].name}' detected\""
    )


def _where(view: FileView, definition: FixtureDef) -> str:
    if definition.origin == str(view.path) or definition.line == 0:
        return ""
    return f" ({view.project_label(definition.origin)}:{definition.line})"


FIXTURE_DEPENDENCY_CYCLE = Rule(
    code="FXL403",
    name="fixture-dependency-cycle",
    summary="Fixtures request each other in a circle",
    explanation='''\
## What it does
Follows the fixtures each fixture of the file requests (parameters and
`request.getfixturevalue("name")`), resolved as a test in that module or class would see
them: the class, the module, the conftest.py files above, the plugins. It reports a chain
that comes back to where it started: `a` requests `b`, and `b` requests `a`, in the same
file or across conftest.py files.

An override that requests its own name is not a cycle: it gets the definition one level
further out (the conftest.py above, a plugin, a built-in).

## Why is this bad?
pytest cannot set up either fixture: every test that uses one of them errors with
`recursive dependency involving fixture 'a' detected`. It usually happens when a fixture
is renamed or moved and an old request is left behind, or when an override in a
sub-directory's conftest.py requests a fixture that in turn requests the overridden name.

## Example
```python
@pytest.fixture
def account(bank):
    return bank.open_account()


@pytest.fixture
def bank(account):
    return Bank(owner=account.owner)
```

## Use instead
Break the circle: one of the two must not need the other.
```python
@pytest.fixture
def bank():
    return Bank(owner="ada")


@pytest.fixture
def account(bank):
    return bank.open_account()
```

## Fix safety
No fix: which request to drop is a design choice.
''',
    fix=None,
    check=check,
)
