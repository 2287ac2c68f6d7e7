"""FXL404 request-attribute-out-of-scope: `request.function` and friends read where pytest refuses them.

pytest's ``request`` object serves every scope, but a few of its attributes only make sense
for the narrower ones and raise ``AttributeError`` above them. A fixture whose scope is a
literal says at a glance which scope its ``request`` has, so the access is a sure error
whenever it runs; no guesswork about which test triggers it is needed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst

from fixlint.cst_util import SCOPES, all_params, children, dotted_name, names_bound, walk
from fixlint.known_fixtures import FIXTURE_SCOPES
from fixlint.model import Finalizer, Fixture
from fixlint.rules.base import FileContext, Finding, Rule


# The one table: each attribute of pytest 9.2's FixtureRequest that raises AttributeError above a
# scope, and the broadest scope where it still works. Measured by running every attribute at every
# scope; the others (instance, node, keywords, config, session, scope, fixturename, fixturenames,
# param_index) never raise for a scope reason: ``instance`` is None above function scope, ``param``
# depends on parametrization, not scope.
WIDEST_SCOPE = {
    "function": "function",
    "cls": "class",
    "module": "module",
    "path": "package",
    "fspath": "package",  # the legacypath plugin's ``py.path`` twin of ``path``: same check
}
# pytest names ``fspath`` after the check it shares with ``path``.
_REPORTED_AS = {"fspath": "path"}

# Exceptions whose handler (or ``contextlib.suppress``) swallows the AttributeError.
_CATCHING = frozenset({"AttributeError", "Exception", "BaseException", "builtins.AttributeError"})


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        if fixture.scope in FIXTURE_SCOPES and fixture.scope != "function" and _requests_request(fixture):
            yield from _check_fixture(fixture)


def _check_fixture(fixture: Fixture) -> Iterator[Finding]:
    function = fixture.function
    if _rebinds_request(function) or _tests_scope(function):
        return
    assert fixture.scope is not None
    for access, ancestors in _request_reads(function):
        attribute = access.attr.value
        widest = WIDEST_SCOPE.get(attribute)
        if widest is None or FIXTURE_SCOPES.index(fixture.scope) <= FIXTURE_SCOPES.index(widest):
            continue
        if _is_target(access, ancestors) or _caught(ancestors):
            continue
        pytest_says = (
            f"{_REPORTED_AS.get(attribute, attribute)} not available in {fixture.scope}-scoped context"
        )
        yield REQUEST_ATTRIBUTE_OUT_OF_SCOPE.finding(
            access,
            f"`request.{attribute}` in {fixture.scope}-scoped fixture `{fixture.name}`: pytest raises "
            f'AttributeError ("{pytest_says}") {_when(fixture, access, ancestors)}; '
            f"{_who_may(widest)} may read it",
        )


def _who_may(widest: str) -> str:
    if widest == "function":
        return "only function-scoped fixtures"
    return f"only fixtures of {widest} scope or narrower"


def _requests_request(fixture: Fixture) -> bool:
    """Does pytest pass the ``request`` fixture to a parameter named ``request``? Not when the
    parameter has a default, is positional-only, or receives ``self`` (first parameter of a method)."""
    params = fixture.function.params
    named = [param for param in (*params.params, *params.kwonly_params) if param.name.value == "request"]
    if not named or named[0].default is not None:
        return False
    is_static = any(dotted_name(d.decorator) == "staticmethod" for d in fixture.function.decorators)
    first = params.params[0] if params.params else None
    return not (fixture.class_name is not None and not is_static and first is named[0])


def _rebinds_request(function: cst.FunctionDef) -> bool:
    """Is ``request`` assigned, deleted or declared global/nonlocal anywhere in the fixture's own
    scope? Then it may no longer be pytest's object: nothing is reported."""
    if "request" in names_bound(function.body):
        return True
    for node in walk(function.body, enter_scopes=True):
        if isinstance(node, (cst.Global, cst.Nonlocal)) and "request" in {n.name.value for n in node.names}:
            return True
        if isinstance(node, cst.Del) and "request" in _deleted_names(node.target):
            return True
    return False


def _deleted_names(target: cst.BaseExpression) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return set().union(*(_deleted_names(element.value) for element in target.elements))
    return set()


def _tests_scope(function: cst.FunctionDef) -> bool:
    """Does the fixture look at its own scope (``request.scope``, ``hasattr(request, "cls")``,
    ``getattr(request, "function", None)``, ``isinstance(request.node, pytest.Class)``)? Such code
    is written to run at several scopes; which branch runs is not ours to guess."""
    for node in walk(function.body, enter_scopes=True):
        if isinstance(node, cst.Attribute) and _is_request(node.value) and node.attr.value == "scope":
            return True
        if isinstance(node, cst.Call) and node.args and _probes_scope(node):
            return True
    return False


def _probes_scope(call: cst.Call) -> bool:
    """``hasattr(request, "cls")`` / ``getattr(request, name, None)`` (not ``getattr(request,
    "param", None)``, which asks about parametrization), ``isinstance(request.node, ...)``."""
    name = dotted_name(call.func)
    subject = call.args[0].value
    if name in ("hasattr", "getattr") and _is_request(subject) and len(call.args) > 1:
        asked = call.args[1].value
        return not isinstance(asked, cst.SimpleString) or asked.evaluated_value in WIDEST_SCOPE
    if name in ("isinstance", "type"):
        return _is_request(subject) or dotted_name(subject) == "request.node"
    return False


def _is_request(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Name) and node.value == "request"


def _request_reads(function: cst.FunctionDef) -> Iterator[tuple[cst.Attribute, tuple[cst.CSTNode, ...]]]:
    """Every ``request.<attr>`` in the fixture body, nested functions and lambdas included (they
    share the fixture's request object, even when called later), with its ancestors. A nested
    scope that binds its own ``request`` is skipped: that name is another object there."""
    stack: list[tuple[cst.CSTNode, tuple[cst.CSTNode, ...]]] = [(function.body, (function,))]
    while stack:
        node, ancestors = stack.pop()
        if isinstance(node, SCOPES) and _binds_own_request(node):
            continue
        if isinstance(node, cst.Attribute) and _is_request(node.value):
            yield node, ancestors
        inner = (*ancestors, node)
        stack.extend((child, inner) for child in reversed(list(children(node))))


def _binds_own_request(scope: cst.CSTNode) -> bool:
    if isinstance(scope, (cst.FunctionDef, cst.Lambda)):
        if any(param.name.value == "request" for param in all_params(scope.params)):
            return True
    body = scope.body if isinstance(scope, (cst.FunctionDef, cst.ClassDef)) else None
    return body is not None and "request" in names_bound(body)


def _is_target(access: cst.Attribute, ancestors: Sequence[cst.CSTNode]) -> bool:
    """``request.cls = ...`` / ``del request.cls`` fail differently (no setter): not this rule."""
    parent = ancestors[-1]
    if isinstance(parent, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign)):
        return parent.target is access
    return isinstance(parent, cst.Del)


def _caught(ancestors: Sequence[cst.CSTNode]) -> bool:
    """Is the access inside a ``try`` whose handler catches AttributeError, or a ``with`` that
    suppresses it (``contextlib.suppress(AttributeError)``, ``pytest.raises(AttributeError)``)?
    Any enclosing one counts, even outside a nested function: it may be what calls it."""
    for position, node in enumerate(ancestors[:-1]):
        inside = ancestors[position + 1]
        if isinstance(node, (cst.Try, cst.TryStar)) and inside is node.body:
            if any(handler.type is None or _names_catching(handler.type) for handler in node.handlers):
                return True
        if isinstance(node, cst.With) and inside is node.body and any(
            _names_catching(item.item) for item in node.items
        ):
            return True
    return False


def _names_catching(node: cst.CSTNode) -> bool:
    return any(
        isinstance(part, (cst.Name, cst.Attribute)) and dotted_name(part) in _CATCHING for part in walk(node)
    )


def _when(fixture: Fixture, access: cst.Attribute, ancestors: tuple[cst.CSTNode, ...]) -> str:
    """When the access runs: setup, teardown, or whenever the nested function holding it is called."""
    # Only a nested body runs later; its decorators and defaults run where it is defined.
    nested = [
        node
        for node, inside in zip(ancestors[1:], (*ancestors[2:], access))
        if isinstance(node, (cst.FunctionDef, cst.Lambda)) and inside is node.body
    ]
    if nested:
        innermost = nested[-1]
        if any(_registers(finalizer, innermost) for finalizer in fixture.finalizers):
            return "when its finalizer runs at teardown"
        if isinstance(innermost, cst.FunctionDef):
            return f"when `{innermost.name.value}()` is called"
        return "when the lambda is called"
    chain = ancestors + (access,)
    order = {_order(yielded.ancestors + (yielded.node,), chain) for yielded in fixture.yields}
    if order == {"after"}:
        return "when this runs at teardown" if _conditional(chain) else "at teardown"
    if order <= {"before"}:
        return "when this runs during setup" if _conditional(chain) else "when the fixture is set up"
    return "when this line runs"


def _conditional(chain: tuple[cst.CSTNode, ...]) -> bool:
    """Does the last node of ``chain`` run only on some paths (a branch, a loop, a handler)?"""
    for position, (node, inside) in enumerate(zip(chain, chain[1:])):
        if isinstance(node, (cst.If, cst.IfExp, cst.While)) and inside is not node.test:
            return True
        if isinstance(node, cst.For) and inside is not node.iter:
            return True
        if isinstance(node, cst.BooleanOperation) and inside is node.right:
            return True
        if isinstance(node, (cst.ExceptHandler, cst.ExceptStarHandler, cst.Match)):
            return True
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
            # Only the first iterable is evaluated whatever it holds.
            first = node.for_in
            return not (inside is first and position + 2 < len(chain) and chain[position + 2] is first.iter)
    return False


def _registers(finalizer: Finalizer, scope: cst.CSTNode) -> bool:
    """Is ``scope`` (a lambda or a local def) what ``request.addfinalizer(...)`` registers?"""
    argument = finalizer.argument
    if argument is scope:
        return True
    if not (isinstance(scope, cst.FunctionDef) and isinstance(argument, cst.Name)):
        return False
    return argument.value == scope.name.value


def _order(yielded: tuple[cst.CSTNode, ...], access: tuple[cst.CSTNode, ...]) -> str | None:
    """Does the access run "before" or "after" the yield (both chains start at the function)?
    None when neither is sure (other branches, handlers)."""
    if len(access) >= len(yielded) and all(a is b for a, b in zip(yielded, access)):
        return "before"  # ``yield request.cls``: evaluated before the generator pauses
    position = next((i for i, (a, b) in enumerate(zip(yielded, access)) if a is not b), None)
    if position is None:
        return None
    owner, a, b = yielded[position - 1], yielded[position], access[position]
    if isinstance(owner, cst.IndentedBlock):
        index = {id(statement): i for i, statement in enumerate(owner.body)}
        return "after" if index[id(b)] > index[id(a)] else "before"
    if isinstance(owner, (cst.Try, cst.TryStar)) and a is owner.body and b is owner.finalbody:
        return "after"
    return None


REQUEST_ATTRIBUTE_OUT_OF_SCOPE = Rule(
    code="FXL404",
    name="request-attribute-out-of-scope",
    summary="A fixture reads a `request` attribute that pytest refuses at the fixture's scope",
    fix=None,
    check=check,
    explanation="""\
## What it does
Flags `request.function`, `request.cls`, `request.module` and `request.path` (or its
`py.path` twin `request.fspath`) read by a fixture whose literal scope is broader than the
attribute allows:

| attribute | works at scopes | raises `AttributeError` at |
|---|---|---|
| `request.function` | function | class, module, package, session |
| `request.cls` | function, class | module, package, session |
| `request.module` | function, class, module | package, session |
| `request.path`, `request.fspath` | function ... package | session |

The read is flagged wherever it runs with the fixture's `request`: in the body, after
`yield`, and in nested functions and lambdas such as finalizers. Not flagged: fixtures whose
scope is not a literal (a callable, a variable), fixtures that check their scope
(`request.scope`, `hasattr(request, "cls")`, `getattr(request, "function", None)`,
`isinstance(request.node, ...)`), reads inside `try` with a handler that catches
`AttributeError` (or under `contextlib.suppress(AttributeError)`), assignments to the attribute
itself (`request.cls = ...` fails differently: the property has no setter), nested functions that have their own `request`, and
fixtures that rebind `request` or take it with a default value (pytest passes nothing then).

## Why is this bad?
The `request` a fixture receives has the fixture's own scope, and pytest (checked with 9.2)
refuses some attributes above the scope they belong to: the property raises
`AttributeError: function not available in module-scoped context` (and likewise for `cls`,
`module` and `path`). The fixture errors the first time it runs, and so does every test that
uses it. The same object is captured by nested functions, so a finalizer or a factory that
reads `request.function` fails as well, at teardown or when the test calls it.

Other attributes never raise for a scope reason: `request.instance` is simply `None` above
function scope, `request.node` is the collection node of the fixture's scope (a `Module`,
`Class`, `Package`, or the `Session` for session scope and for a package-scoped fixture
outside any package), and `config`, `session`, `keywords`, `scope` and
`fixturename` work everywhere. `request.node.function` is a different lookup: the node of a
module-scoped fixture is a `Module`, which has no `function` either. A class-scoped fixture
used by a test outside any class still has a class-scoped `request`, so `request.function`
raises there too. `getattr(request, "function", None)` returns `None` and
`hasattr(request, "function")` returns `False`.

## Example
```python
@pytest.fixture(scope="module")
def db(request):
    name = request.function.__name__  # AttributeError at module scope
    return connect(f"sqlite:///{name}.db")
```

## Use instead
Read what the scope offers: `request.module` up to module scope, `request.node` (the
scope's own node, e.g. `request.node.name` of the module), `request.path` up to package
scope, `request.config.rootpath` at session scope:
```python
@pytest.fixture(scope="module")
def db(request):
    name = request.module.__name__
    return connect(f"sqlite:///{name}.db")
```
Or, when the value really depends on each test, make the fixture function-scoped.

## Fix safety
No fix is offered: the replacement depends on what the code wanted (the module's name, the
test's name, a narrower scope), and narrowing the scope changes how often the fixture runs.
""",
)
