"""FXL208 deprecated-yield-fixture: ``@pytest.yield_fixture``, which pytest 9 warns about and 10 removes.

``pt.yield_fixture`` (any alias of ``pytest``) is fixed in place to ``pt.fixture``. A bare name
imported with ``from pytest import yield_fixture [as yf]`` needs the import changed too, which
one node replacement can only do by replacing the module: the fix renames the import alias to
``fixture`` and every ``@yf`` to ``@fixture`` together, and only when that rename is exact.
Otherwise, when ``pytest`` itself is imported, each decorator becomes ``@pytest.fixture``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

import libcst as cst

from fixlint.cst_util import children, code_of, dotted_name
from fixlint.model import Fixture
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule

DEPRECATED = "pytest.yield_fixture"


def check(context: FileContext) -> Iterator[Finding]:
    rename_fixes: dict[str, Fix | None] = {}  # one module-wide fix per imported name, shared
    for fixture in context.fixtures:
        if fixture.decorator_name != DEPRECATED:
            continue
        target = _decorator_target(fixture)
        written = dotted_name(target) or DEPRECATED
        if context.imports.qualify(written) != DEPRECATED:
            fix = None  # ``yf = pytest.yield_fixture`` at module level: the alias needs the change
        elif isinstance(target, cst.Attribute):
            fix = _replace_target(target, target.with_changes(attr=cst.Name("fixture")))
        else:
            if written not in rename_fixes:
                rename_fixes[written] = _rename_fix(context.module, written)
            fix = rename_fixes[written] or _module_attribute_fix(context, target)
        yield DEPRECATED_YIELD_FIXTURE.finding(
            target,
            f"`@{written}` on `{fixture.function.name.value}` is deprecated: pytest 9 warns "
            "`PytestRemovedIn10Warning` when it is applied (a collection error under "
            "`filterwarnings = error`) and pytest 10 removes it; `@pytest.fixture` does the same",
            fix,
        )


def _replace_target(target: cst.BaseExpression, new: cst.BaseExpression) -> Fix:
    return Fix(FixSafety.SAFE, f"Use `@{code_of(new)}`", target, new)


def _decorator_target(fixture: Fixture) -> cst.BaseExpression:
    """``pytest.yield_fixture`` in both ``@pytest.yield_fixture`` and ``@pytest.yield_fixture(...)``."""
    expression = fixture.decorator.decorator
    return expression.func if isinstance(expression, cst.Call) else expression


def _module_attribute_fix(context: FileContext, target: cst.BaseExpression) -> Fix | None:
    """Fallback for a bare name the rename cannot handle: ``@yield_fixture`` -> ``@pytest.fixture``
    when the module imports ``pytest`` itself (any alias). The ``from pytest import`` stays, unused."""
    module_names = sorted(name for name, qualified in context.imports.names.items() if qualified == "pytest")
    if not module_names:
        return None
    new = cst.Attribute(value=cst.Name(module_names[0]), attr=cst.Name("fixture"))
    return _replace_target(target, new)


def _rename_fix(module: cst.Module, local: str) -> Fix | None:
    """``from pytest import yield_fixture as yf`` + ``@yf`` -> ``from pytest import fixture`` +
    ``@fixture``, as one replacement of the module so the two never part."""
    found = _pytest_import(module, local)
    if found is None:
        return None
    import_from, alias = found
    names, decorator_targets = _name_occurrences(module)
    own = alias.asname.name if alias.asname is not None else alias.name
    if any(node is not own and id(node) not in decorator_targets for node in names.get(local, ())):
        return None  # the name is also used or rebound elsewhere: renaming could change that code
    new_aliases = _aliases_without(import_from, alias, names.get("fixture", ()), decorator_targets)
    if new_aliases is None:
        return None
    replacements: dict[int, cst.CSTNode] = {
        id(import_from): import_from.with_changes(names=new_aliases),
    }
    for node in names.get(local, ()):
        if node is not own:
            replacements[id(node)] = node.with_changes(value="fixture")
    new_module = module.visit(_Replace(replacements))
    title = f"Import `fixture` instead of `{local}` and use `@fixture`"
    return Fix(FixSafety.SAFE, title, module, new_module)


def _aliases_without(
    import_from: cst.ImportFrom,
    alias: cst.ImportAlias,
    fixture_names: Sequence[cst.Name],
    decorator_targets: set[int],
) -> list[cst.ImportAlias] | None:
    """The import's aliases with ``yield_fixture`` turned into ``fixture``, or dropped when the
    same import already brings in ``fixture``. None when ``fixture`` means anything else here."""
    aliases = list(import_from.names)  # type: ignore[arg-type]
    index = next(i for i, item in enumerate(aliases) if item is alias)
    if not fixture_names:
        aliases[index] = cst.ImportAlias(name=cst.Name("fixture"), comma=alias.comma)
        return aliases
    sibling = next(
        (item for item in aliases if item.asname is None and dotted_name(item.name) == "fixture"), None
    )
    if sibling is None or any(
        node is not sibling.name and id(node) not in decorator_targets for node in fixture_names
    ):
        return None
    if "#" in code_of(alias):
        return None  # a comment on the dropped line would be lost
    del aliases[index]
    if index == len(aliases):  # dropped the last one: the new last takes its comma (or none)
        previous = aliases[-1].comma
        if isinstance(previous, cst.Comma) and "#" in code_of(previous):
            return None
        aliases[-1] = aliases[-1].with_changes(comma=alias.comma)
    return aliases


def _pytest_import(
    module: cst.Module, local: str
) -> tuple[cst.ImportFrom, cst.ImportAlias] | None:
    """The top-level ``from pytest import yield_fixture [as local]`` that binds ``local``."""
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                continue
            if small.relative or dotted_name(small.module) != "pytest":
                continue
            for alias in small.names:
                bound = alias.asname.name if alias.asname is not None else alias.name
                if dotted_name(alias.name) == "yield_fixture" and dotted_name(bound) == local:
                    return small, alias
    return None


def _name_occurrences(module: cst.Module) -> tuple[Mapping[str, list[cst.Name]], set[int]]:
    """Every Name that reads or binds a variable anywhere in the module (attribute names,
    keyword names and ``from X`` module paths excluded), and the ids of those that are
    decorator targets (``@name`` / ``@name(...)``). Used only for the rare bare-name fix."""
    names: dict[str, list[cst.Name]] = defaultdict(list)
    decorator_targets: set[int] = set()
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            names[node.value].append(node)
        elif isinstance(node, cst.Attribute):
            stack.append(node.value)
        elif isinstance(node, cst.Arg):
            stack.append(node.value)
        elif isinstance(node, cst.ImportFrom):
            if not isinstance(node.names, cst.ImportStar):
                stack.extend(node.names)
        elif isinstance(node, cst.ImportAlias):
            stack.append(node.asname.name if node.asname is not None else node.name)
        else:
            if isinstance(node, cst.Decorator):
                expression = node.decorator
                target = expression.func if isinstance(expression, cst.Call) else expression
                if isinstance(target, cst.Name):
                    decorator_targets.add(id(target))
            stack.extend(children(node))
    return names, decorator_targets


class _Replace(cst.CSTTransformer):
    """Swap several nodes (by identity) in one traversal."""

    def __init__(self, replacements: dict[int, cst.CSTNode]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode):  # type: ignore[override]
        return self.replacements.get(id(original_node), updated_node)


DEPRECATED_YIELD_FIXTURE = Rule(
    code="FXL208",
    name="deprecated-yield-fixture",
    summary="`@pytest.yield_fixture` is deprecated; use `@pytest.fixture`",
    fix=FixSafety.SAFE,
    check=check,
    explanation="""\
## What it does
Flags fixtures decorated with `pytest.yield_fixture`, however it was imported:
`@pytest.yield_fixture`, `@pt.yield_fixture(scope="module")` after `import pytest as pt`,
`@yield_fixture` after `from pytest import yield_fixture`.

## Why is this bad?
`@pytest.fixture` has supported `yield` since pytest 3.0, where `yield_fixture` was
deprecated. pytest 9.2 still has it, as a plain alias that forwards every argument to
`pytest.fixture`, but warns each time it is applied, at import: checked with pytest 9.2, every
decorated fixture adds `PytestRemovedIn10Warning: @pytest.yield_fixture is deprecated. Use
@pytest.fixture instead; they are the same.` to the warnings summary, and with
`-W error::DeprecationWarning` or `filterwarnings = ["error"]` the module fails to collect.
As the warning's name says, pytest 10 removes it, and every module that uses it will then
fail to import.

## Example
```python
@pytest.yield_fixture(scope="module")
def server():
    srv = start_server()
    yield srv
    srv.stop()
```

## Use instead
```python
@pytest.fixture(scope="module")
def server():
    srv = start_server()
    yield srv
    srv.stop()
```

## Fix safety
The fix is safe: `yield_fixture` passes its arguments to `pytest.fixture` unchanged, so the
fixture stays the same and only the warning goes away. `pt.yield_fixture` becomes
`pt.fixture` in place.

A name imported with `from pytest import yield_fixture` (or `... as yf`) needs the import
changed too, so the fix rewrites the import to `fixture` and every `@yf` to `@fixture` in one
edit; the module never has one without the other. It does so only when that name is used
nowhere but as a fixture decorator and the name `fixture` is not used in the module yet (when
the same import already brings in `fixture` and nothing else uses that name, the
`yield_fixture` import is dropped instead). Otherwise, if the module imports `pytest` itself,
each decorator becomes `@pytest.fixture` and the unused `from pytest import yield_fixture` is
left for your unused-import linter; failing that, no fix is offered.
""",
)
