"""FXL401 scope-mismatch: a broader-scoped fixture requests a narrower-scoped one."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from fixlint.cst_util import all_params, is_docstring, lift_blank_lines, names_bound, names_used, split_leading_lines
from fixlint.known_fixtures import FIXTURE_SCOPES
from fixlint.model import Fixture
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule
from fixlint.summary import FixtureDef, getfixturevalue_calls, requested_parameters
from fixlint.view import FileView

# Built-ins with a broader-scope replacement: the parameter to request instead, and the
# statement that rebinds the old name from it (``{fixture}`` is the fixture's name).
_REPLACEMENTS = {
    "tmp_path": ("tmp_path_factory", 'tmp_path = tmp_path_factory.mktemp("{fixture}")'),
    "tmpdir": ("tmpdir_factory", 'tmpdir = tmpdir_factory.mktemp("{fixture}")'),
    "cache": ("request", "cache = request.config.cache"),
}


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        if fixture.scope not in FIXTURE_SCOPES or fixture.scope == "function":
            continue
        view = context.view
        definition = view.definition(fixture)
        for name, node in _requests(fixture):
            target = _narrower_target(view, fixture, definition, name)
            if target is None:
                continue
            yield SCOPE_MISMATCH.finding(
                node, _message(view, fixture, name, target), _fix(context, fixture, name, node, target)
            )


def _requests(fixture: Fixture) -> Iterator[tuple[str, cst.CSTNode]]:
    """Each requested name with the node to report: the parameter, or the string given to
    ``request.getfixturevalue``."""
    requested = set(requested_parameters(fixture.function)) & set(fixture.parameters)
    for param in all_params(fixture.function.params):
        if param.name.value in requested:
            yield param.name.value, param
    yield from getfixturevalue_calls(fixture.function)


def _narrower_target(view: FileView, fixture: Fixture, definition: FixtureDef, name: str) -> FixtureDef | None:
    """The definition ``name`` resolves to, when every candidate is a readable fixture of a known,
    narrower scope (``request`` is exempt: pytest gives each fixture its own)."""
    if name == "request":
        return None
    after = definition if name == fixture.name else None
    targets = view.resolve(name, fixture.class_name, after=after).fixtures
    if not targets or any(target.scope is None for target in targets):
        return None
    rank = FIXTURE_SCOPES.index
    if all(rank(target.scope) < rank(fixture.scope) for target in targets):  # type: ignore[arg-type]
        return targets[0]
    return None


def _where(view: FileView, target: FixtureDef) -> str:
    if target.origin == "pytest":
        return "a pytest built-in"
    if target.line == 0:
        return f"from {target.origin}"
    if target.origin == str(view.path):
        return f"defined at line {target.line}"
    return f"defined in {view.project_label(target.origin)}:{target.line}"


def _message(view: FileView, fixture: Fixture, name: str, target: FixtureDef) -> str:
    own = f"`{name}`, the definition it overrides," if name == fixture.name else f"`{name}`"
    replacement = _REPLACEMENTS.get(name) if target.origin == "pytest" else None
    hint = ""
    if replacement is not None:
        hint = f"; use `{replacement[1].split(' = ')[1].replace('{fixture}', fixture.name)}` instead"
    elif name == "monkeypatch" and target.origin == "pytest":
        hint = "; use `with pytest.MonkeyPatch.context() as monkeypatch:` instead"
    return (
        f"{fixture.scope}-scoped fixture `{fixture.name}` requests {own} but that is "
        f"{target.scope}-scoped ({_where(view, target)}): every test that uses `{fixture.name}` "
        f"errors with ScopeMismatch before it runs{hint}"
    )


def _fix(context: FileContext, fixture: Fixture, name: str, node: cst.CSTNode, target: FixtureDef) -> Fix | None:
    """Built-ins with a broader form: request that form instead (see the explanation)."""
    if target.origin != "pytest" or not isinstance(node, cst.Param) or fixture.body is None:
        return None
    function = fixture.function
    if any(param is not node and param.name.value == name for param in all_params(function.params)):
        return None
    if name == "monkeypatch":
        new = _monkeypatch_context(context, fixture, node)
    elif name in _REPLACEMENTS:
        new = _rebound(fixture, node, *_REPLACEMENTS[name])
    else:
        return None
    if new is None:
        return None
    title = f"Request the broader form of `{name}`"
    return Fix(FixSafety.UNSAFE, title, function, new)


def _rebound(fixture: Fixture, param: cst.Param, replacement: str, statement: str) -> cst.FunctionDef | None:
    """``tmp_path`` -> request ``tmp_path_factory`` and bind ``tmp_path`` from it first thing."""
    function = fixture.function
    body = function.body
    assert isinstance(body, cst.IndentedBlock)
    if replacement in names_bound(body) or (
        replacement in names_used(body) and replacement not in fixture.parameters
    ):
        return None  # the body already means something else by that name
    has_replacement = replacement in fixture.parameters
    params = _without(function, param) if has_replacement else _renamed(function, param, replacement)
    line = cst.parse_statement(statement.format(fixture=fixture.name))
    start = 1 if is_docstring(body.body[0]) else 0
    first = body.body[start] if start < len(body.body) else None
    if first is not None:  # blank lines above the first statement go above the new one
        blanks, comments = split_leading_lines(first)
        line = line.with_changes(leading_lines=blanks)
        first = first.with_changes(leading_lines=comments)
    statements = [*body.body[:start], line, *([first] if first is not None else []), *body.body[start + 1 :]]
    return function.with_changes(params=params, body=body.with_changes(body=statements))


def _monkeypatch_context(context: FileContext, fixture: Fixture, param: cst.Param) -> cst.FunctionDef | None:
    """``monkeypatch`` -> ``with pytest.MonkeyPatch.context() as monkeypatch:`` around the body.
    Only for yield fixtures: a ``return`` inside the ``with`` would undo every patch at once."""
    if not fixture.is_generator:
        return None
    pytest_name = next(
        (local for local, full in context.imports.names.items() if full == "pytest" and local in context.imports.modules),
        None,
    )
    function = fixture.function
    body = function.body
    assert isinstance(body, cst.IndentedBlock)
    if pytest_name is None:
        return None
    start = 1 if is_docstring(body.body[0]) else 0
    inner = list(body.body[start:])
    if not inner:
        return None
    blanks, inner = lift_blank_lines(inner)
    header = cst.parse_statement(f"with {pytest_name}.MonkeyPatch.context() as monkeypatch:\n    pass\n")
    assert isinstance(header, cst.With)
    block = header.with_changes(body=cst.IndentedBlock(body=inner), leading_lines=blanks)
    return function.with_changes(
        params=_without(function, param), body=body.with_changes(body=[*body.body[:start], block])
    )


def _renamed(function: cst.FunctionDef, param: cst.Param, name: str) -> cst.Parameters:
    return function.params.deep_replace(param, param.with_changes(name=cst.Name(name), annotation=None))  # type: ignore[return-value]


def _without(function: cst.FunctionDef, param: cst.Param) -> cst.Parameters:
    params = function.params
    for field in ("posonly_params", "params", "kwonly_params"):
        group = list(getattr(params, field))
        if param in group:
            position = group.index(param)
            group.pop(position)
            if group and position == len(group):  # the removed one was last: drop the dangling comma
                group[-1] = group[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return params.with_changes(**{field: group})
    return params


SCOPE_MISMATCH = Rule(
    code="FXL401",
    name="scope-mismatch",
    summary="A fixture requests a fixture whose scope is narrower than its own",
    explanation='''\
## What it does
Checks each fixture broader than function scope (`class`, `module`, `package`, `session`)
for requests, by parameter or by `request.getfixturevalue("name")`, of a fixture whose
scope is narrower. The requested name is resolved as pytest resolves it: the fixture's
class, its module, the `conftest.py` files of its directory and every directory above it
(up to the rootdir), the plugins (`pytest_plugins`, installed plugins, the known plugins
and the `plugin-fixtures` setting), then pytest's built-ins; the nearest definition wins,
and an override that requests its own name gets the next one out.

## Why is this bad?
A fixture lives as long as its scope; a narrower fixture it holds on to would outlive its
own teardown. pytest refuses: every test that uses the broader fixture errors with
`ScopeMismatch: You tried to access the function scoped fixture tmp_path with a module
scoped request object`, before the test body runs, often in CI after minutes of setup.
`request` is the exception: every fixture gets its own.

pytest resolves the name from the test that triggers the setup, so a conftest.py deeper
down can override it; fixlint resolves it from where the broader fixture is defined,
which is what the tests beside it see. A name that may come from somewhere fixlint cannot
read (a star import from outside the project, a computed `pytest_plugins`, a base class
from another module) is not reported.

## Example
```python
@pytest.fixture(scope="module")
def workdir(tmp_path):
    (tmp_path / "data").mkdir()
    return tmp_path
```

## Use instead
The broader-scoped form of the built-in, or a broader scope for your own fixture:
```python
@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("workdir")
    (tmp_path / "data").mkdir()
    return tmp_path
```
`tmpdir` becomes `tmpdir_factory.mktemp(...)`, `cache` becomes `request.config.cache`, and
`monkeypatch` becomes `with pytest.MonkeyPatch.context() as monkeypatch:` around the body
of a yield fixture (its patches are undone when the `with` ends, at the fixture's teardown).

## Fix safety
The fix for `tmp_path`, `tmpdir`, `cache` and `monkeypatch` is unsafe: the fixture now
requests something else and keeps its directory, cache handle or patches for its whole
scope. It is offered only for pytest's own fixtures (not your overrides of them), and the
`monkeypatch` fix only for yield fixtures in a module that imports `pytest`. Other
mismatches have no fix: whether to widen the requested fixture or narrow the requesting one
is a design choice.
''',
    fix=FixSafety.UNSAFE,
    check=check,
)
