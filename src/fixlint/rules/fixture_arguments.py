"""FXL011 fixture-positional-args and FXL012 invalid-scope: fixture decorator options pytest refuses.

Both read where a fixture's options are written: the decorator's own call
(``@pytest.fixture("module")``) or, for a decorator alias, the module-level call that made it
(``session_fixture = pytest.fixture(scope="sesion")``). Scopes given through a module constant
(``SCOPE = "sesion"``) are resolved the way the fixture model resolves them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

import libcst as cst

from fixlint.cst_util import dotted_name, literal_string, short_code
from fixlint.imports import ImportTable
from fixlint.known_fixtures import FIXTURE_SCOPES
from fixlint.model import FIXTURE_DECORATORS, Fixture
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule
from fixlint.rules.mark_on_fixture import single_assignments

# The positional order of ``pytest.fixture`` before 6.0 made its options keyword-only.
PRE_6_ORDER = ("scope", "params", "autouse", "ids", "name")
# Decorators whose positional arguments meant the pre-6.0 options (pytest-asyncio's never did).
PRE_6_DECORATORS = frozenset({"pytest.fixture", "pytest.yield_fixture"})
_FALSY_LITERALS = ("None", "False", "0", '""', "''")


@dataclass(frozen=True)
class _Options:
    """A call that writes a fixture's options; ``alias`` is set when it is a module-level
    ``alias = pytest.fixture(...)`` rather than the decorator itself."""

    call: cst.Call
    alias: str | None


@dataclass(frozen=True)
class _Module:
    """Module-level names bound exactly once: string constants and calls."""

    constants: dict[str, str]
    calls: dict[str, cst.Call]


def check_positional(context: FileContext) -> Iterator[Finding]:
    fixtures = [fixture for fixture in context.fixtures if _may_have_positional(fixture)]
    module = _module_names(context.module) if fixtures else _Module({}, {})
    seen: set[int] = set()
    for fixture in fixtures:
        for options in _options(fixture, context.imports, module):
            if id(options.call) in seen:
                continue
            seen.add(id(options.call))
            finding = _positional_finding(fixture, options, module)
            if finding is not None:
                yield finding


def check_scope(context: FileContext) -> Iterator[Finding]:
    fixtures = [fixture for fixture in context.fixtures if fixture.scope not in (None, *FIXTURE_SCOPES)]
    module = _module_names(context.module) if fixtures else _Module({}, {})
    seen: set[int] = set()
    for fixture in fixtures:
        found = _scope_argument(fixture, context.imports, module)
        if found is None or id(found[0]) in seen:
            continue
        seen.add(id(found[0]))
        yield _scope_finding(fixture, *found, context.path)


def _may_have_positional(fixture: Fixture) -> bool:
    """Cheap pre-check: a decorator call with a positional argument, or a plain-name decorator
    (which may be an alias made with one)."""
    expression = fixture.decorator.decorator
    if isinstance(expression, cst.Call):
        return any(arg.keyword is None for arg in expression.args)
    return isinstance(expression, cst.Name)


def _module_names(module: cst.Module) -> _Module:
    constants: dict[str, str] = {}
    calls: dict[str, cst.Call] = {}
    for name, value in single_assignments(module).items():
        text = literal_string(value)
        if text is not None:
            constants[name] = text
        elif isinstance(value, cst.Call):
            calls[name] = value
    return _Module(constants, calls)


def _options(fixture: Fixture, imports: ImportTable, module: _Module) -> list[_Options]:
    """Where the fixture's options are written, the decorator's own call first (its keywords
    win over an alias's). Only pytest's and pytest-asyncio's decorators: a project's own
    decorator may take positional arguments of its own."""
    if fixture.decorator_name not in FIXTURE_DECORATORS:
        return []
    expression = fixture.decorator.decorator
    target = expression.func if isinstance(expression, cst.Call) else expression
    written = dotted_name(target)
    if written is None:
        return []
    if imports.qualify(written) == fixture.decorator_name:
        return [_Options(expression, None)] if isinstance(expression, cst.Call) else []
    call = module.calls.get(written)
    if call is not None and imports.qualified_name_of(call.func) == fixture.decorator_name:
        return [_Options(call, written)]
    return []


# FXL011 ---------------------------------------------------------------------------------------


def _positional_finding(fixture: Fixture, options: _Options, module: _Module) -> Finding | None:
    call = options.call
    if any(arg.star == "*" for arg in call.args):
        return None  # ``*args``: how many there are is unknown
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    if not positional:
        return None
    first = positional[0].value
    is_string = _string_value(first, module) is not None
    if len(positional) == 1:
        if _is_falsy(first, module):
            return None  # ``pytest.fixture(None)`` is ``pytest.fixture()``: valid
        if options.alias is not None and not is_string:
            return None  # ``thing = pytest.fixture(make_thing)`` makes a fixture: valid
    fix = _keyword_fix(call, positional) if fixture.decorator_name in PRE_6_DECORATORS else None
    return FIXTURE_POSITIONAL_ARGS.finding(
        positional[0], _positional_message(fixture, options, positional, is_string, fix), fix
    )


def _positional_message(
    fixture: Fixture, options: _Options, positional: list[cst.Arg], is_string: bool, fix: Fix | None
) -> str:
    call = options.call
    quoted = f"`{options.alias} = {short_code(call, 50)}`" if options.alias else f"`@{short_code(call, 50)}`"
    first = short_code(positional[0].value, 30)
    if fixture.decorator_name not in PRE_6_DECORATORS:
        consequence = f"`{first}` is taken for the function to make a fixture of"
    elif len(positional) > 1:
        consequence = (
            f"`TypeError: fixture() takes from 0 to 1 positional arguments but {len(positional)} were given`"
        )
    elif is_string:
        consequence = (
            f"`{first}` is taken for the function to make a fixture of "
            "(`AttributeError: 'str' object has no attribute '__name__'`)"
        )
    else:
        consequence = f"`{first}` is taken for the function to make a fixture of"
    advice = f"write `{_arguments_text(fix)}`" if fix else "pass the options by keyword (`scope=...`)"
    return (
        f"{quoted} passes options positionally, but a fixture decorator takes only the function "
        f"positionally (pytest 6.0 made the options keyword-only): {consequence}, so this file fails "
        f"to import; {advice}"
    )


def _keyword_fix(call: cst.Call, positional: list[cst.Arg]) -> Fix | None:
    """Name the positional arguments in the pre-6.0 order: scope, params, autouse, ids, name."""
    if len(positional) > len(PRE_6_ORDER) or any(arg.star for arg in call.args):
        return None
    names = PRE_6_ORDER[: len(positional)]
    if any(arg.keyword is not None and arg.keyword.value in names for arg in call.args):
        return None  # ``pytest.fixture("module", scope="session")``: which one was meant?
    none = cst.SimpleWhitespace("")
    no_space = cst.AssignEqual(whitespace_before=none, whitespace_after=none)
    keywords = iter(names)
    args = [
        arg.with_changes(keyword=cst.Name(next(keywords)), equal=no_space) if arg.keyword is None else arg
        for arg in call.args
    ]
    title = "Pass " + ", ".join(f"`{name}=`" for name in names) + " by keyword"
    return Fix(FixSafety.SAFE, title, call, call.with_changes(args=args))


def _arguments_text(fix: Fix) -> str:
    """``scope="module", params=[1, 2]``: the keywords the fix writes, for the message."""
    new = fix.new
    assert isinstance(new, cst.Call)
    written = [arg for arg in new.args if arg.keyword is not None and arg.keyword.value in PRE_6_ORDER]
    return ", ".join(
        f"{arg.keyword.value}={short_code(arg.value, 30)}" for arg in written  # type: ignore[union-attr]
    )


# FXL012 ---------------------------------------------------------------------------------------


def _scope_argument(
    fixture: Fixture, imports: ImportTable, module: _Module
) -> tuple[cst.BaseExpression, _Options] | None:
    """The expression that gives the fixture its scope, and the call it is written in."""
    for options in _options(fixture, imports, module):
        keyword = next((arg.value for arg in options.call.args if _is_keyword(arg, "scope")), None)
        positional = [arg.value for arg in options.call.args if arg.keyword is None and not arg.star]
        node = keyword if keyword is not None else positional[0] if positional and not options.alias else None
        if node is not None:
            # The model resolved the same scope; anything else means it read another argument.
            return (node, options) if _string_value(node, module) == fixture.scope else None
    return None


def _scope_finding(fixture: Fixture, node: cst.BaseExpression, options: _Options, path: str) -> Finding:
    value = fixture.scope or ""
    by_keyword = any(_is_keyword(arg, "scope") and arg.value is node for arg in options.call.args)
    written = f"`scope={short_code(node, 40)}`" if by_keyword else f"The scope `{short_code(node, 40)}`"
    if isinstance(node, cst.Name):
        written += f" (`{node.value} = \"{value}\"`)"
    if options.alias is not None:
        written += f" in `{options.alias} = {short_code(options.call, 40)}`"
    if PurePath(path).name == "conftest.py":
        when = "loading this conftest.py, and the whole run stops with an internal error"
    else:
        when = "collecting this file"
    close = difflib.get_close_matches(value.strip().lower(), FIXTURE_SCOPES, n=1, cutoff=0.6)
    hint = f"did you mean \"{close[0]}\"?" if close else f"use one of {', '.join(FIXTURE_SCOPES)} (lower case)"
    return INVALID_SCOPE.finding(
        node,
        f"{written} on fixture `{fixture.name}` is not a pytest scope: pytest fails {when} "
        f"(\"Fixture '{fixture.function.name.value}' got an unexpected scope value '{value}'\"); {hint}",
    )


# Shared helpers -------------------------------------------------------------------------------


def _string_value(node: cst.BaseExpression, module: _Module) -> str | None:
    """A string literal, or a module constant bound once to one."""
    if isinstance(node, cst.Name):
        return module.constants.get(node.value)
    return literal_string(node)


def _is_keyword(arg: cst.Arg, name: str) -> bool:
    return arg.keyword is not None and arg.keyword.value == name


def _is_falsy(node: cst.BaseExpression, module: _Module) -> bool:
    return short_code(node) in _FALSY_LITERALS or _string_value(node, module) == ""



FIXTURE_POSITIONAL_ARGS = Rule(
    code="FXL011",
    name="fixture-positional-args",
    summary="Options passed to `@pytest.fixture(...)` positionally make the module fail to import",
    fix=FixSafety.SAFE,
    check=check_positional,
    explanation="""\
## What it does
Flags positional arguments in a fixture decorator call: `@pytest.fixture("module")`,
`@pytest.fixture("module", [1, 2])`, the same through `pytest.yield_fixture`,
`pytest_asyncio.fixture` and import aliases, and in a module-level decorator alias such as
`module_fixture = pytest.fixture("module")`.

Not flagged: keyword options (`@pytest.fixture(scope="module")`); `pytest.fixture(make_thing)`
outside a decorator, which is a valid way to make a fixture of an existing function;
`@pytest.fixture(None)`, which is the same as `@pytest.fixture()`; a `*args` argument, whose
length is unknown; and decorators of your own configured as fixture decorators.

## Why is this bad?
Before pytest 6.0, `pytest.fixture` took its options positionally, in the order `scope`,
`params`, `autouse`, `ids`, `name`. pytest 6.0 made them keyword-only; the only positional
parameter left is the function to make a fixture of. Checked with pytest 8.4 and 9.2:

- one positional argument is taken for that function, so `@pytest.fixture("module")` fails
  when the module is imported with `AttributeError: 'str' object has no attribute
  '__name__'` (and a function given there becomes a fixture that is then "called directly");
- two or more fail with `TypeError: fixture() takes from 0 to 1 positional arguments but 2
  were given`.

Either way the whole file fails to collect, and a collection error stops the run before any
test runs (unless `--continue-on-collection-errors`).
`pytest_asyncio.fixture` also takes its first positional argument for the function (and its
second for `loop_scope`), so positional options fail there too.

## Example
```python
@pytest.fixture("module", ["sqlite", "postgres"])
def engine(request):
    return create_engine(request.param)
```

## Use instead
```python
@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def engine(request):
    return create_engine(request.param)
```

## Fix safety
The fix names the positional arguments in the pre-6.0 order `scope`, `params`, `autouse`,
`ids`, `name`, which is what they meant when the code was written. It is safe: the module fails
to import today, so no run that passes today can change. It is offered for `pytest.fixture` and
`pytest.yield_fixture` only (pytest-asyncio never had that positional order), and not when a
keyword repeats one of the names it would write, or when there are more than five positional
arguments.
""",
)


INVALID_SCOPE = Rule(
    code="FXL012",
    name="invalid-scope",
    summary="A fixture scope that is not function, class, module, package or session",
    fix=None,
    check=check_scope,
    explanation="""\
## What it does
Flags a fixture whose scope is a string that is not one of `"function"`, `"class"`,
`"module"`, `"package"` or `"session"`: written in the decorator (`scope="modul"`), through a
module-level constant (`SCOPE = "Session"` and `scope=SCOPE`), or preset by a decorator alias
(`session_fixture = pytest.fixture(scope="sessions")`). The message suggests the closest valid
name when there is one.

Not flagged: a callable scope (dynamic scope, `scope=determine_scope`), since only running it
tells what it returns; `scope=None`, which pytest takes as `"function"`; and any scope whose
value is not known from this file.

## Why is this bad?
pytest checks the scope when it registers the fixture, which happens while it collects the
file that defines it, whether or not any test uses the fixture. Checked with pytest 8.4 and
9.2: the file fails to collect with `Failed: Fixture 'name' from file.py got an unexpected
scope value 'modul'`, which stops the run before any test runs (unless
`--continue-on-collection-errors`); in a `conftest.py` pytest stops with an internal error and
runs no test at all. The comparison is case-sensitive: `"Module"` and `"SESSION"` are refused
too.

## Example
```python
@pytest.fixture(scope="sessions")
def database():
    return Database.connect()
```

## Use instead
```python
@pytest.fixture(scope="session")
def database():
    return Database.connect()
```

## Fix safety
No fix: even a near miss such as `"sessions"` might have been meant as another scope, and the
scope decides how long the value is shared.
""",
)
