"""FXL304 broad-scope-mutable-value: a class/module/package/session fixture hands out a mutable
container, so every test of that scope gets the same object and sees what earlier tests did to it.

Only plain containers that the fixture builds itself are reported: a display or comprehension,
a call of a known container type, or a local name that every binding in the body sets to one.
A container the fixture reads after ``yield`` or hands to other code (a finalizer, an attribute)
is a deliberate shared accumulator and is left alone.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from fixlint.cst_util import binds, names_used, walk
from fixlint.fallible import COLLECTING_METHODS
from fixlint.imports import ImportTable
from fixlint.known_fixtures import FIXTURE_SCOPES
from fixlint.model import Fixture, Located, class_scope_is_shared, statement_path
from fixlint.ownership import aliases, handed_elsewhere
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule

_BROAD_SCOPES = frozenset(FIXTURE_SCOPES[1:])  # everything but function
_DISPLAYS: dict[type[cst.CSTNode], str] = {
    cst.List: "list",
    cst.ListComp: "list",
    cst.Dict: "dict",
    cst.DictComp: "dict",
    cst.Set: "set",
    cst.SetComp: "set",
}
# Calls that build a fresh mutable container, by qualified name.
_CONSTRUCTORS = {
    "list": "list",
    "dict": "dict",
    "set": "set",
    "bytearray": "bytearray",
    "collections.defaultdict": "defaultdict",
    "collections.OrderedDict": "OrderedDict",
    "collections.Counter": "Counter",
    "collections.deque": "deque",
}
# Fixtures that plugins ask users to override with a broad scope and a returned dict or list: the
# plugin reads the value to configure itself, tests do not get it to change (pytest-recording /
# pytest-vcr, celery.contrib.pytest, pytest-playwright, pytest-docker).
_PLUGIN_SETTINGS = frozenset({
    "vcr_config", "celery_config", "celery_parameters", "celery_includes", "celery_worker_parameters",
    "celery_class_tasks",
    "browser_context_args", "browser_type_launch_args", "docker_setup", "docker_cleanup",
})
# Methods that add to a log or collection. A container other fixtures only grow this way is an
# accumulator; one they overwrite (``settings["debug"] = True``) is the leak this rule is about.
_ACCUMULATING_METHODS = (COLLECTING_METHODS - {"discard"}) | {"extendleft"}


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        if fixture.scope not in _BROAD_SCOPES:
            continue
        if fixture.scope == "class" and not class_scope_is_shared(fixture, context):
            continue
        if fixture.name in _PLUGIN_SETTINGS or _filled_by_other_fixtures(context, fixture):
            continue
        # A generator's ``return value`` ends its teardown; pytest never hands that value out.
        handed = [] if fixture.is_generator else [(located, "returns") for located in fixture.returns]
        handed += [(located, "yields") for located in fixture.yields]
        for located, verb in handed:
            finding = _check_value(context, fixture, located, verb)
            if finding is not None:
                yield finding


def _filled_by_other_fixtures(context: FileContext, fixture: Fixture) -> bool:
    """``order = []`` that other fixtures of the file request and append to: a shared log the
    fixture graph fills on purpose (pytest's own docs show fixture order this way)."""
    for other in context.fixtures:
        if other is not fixture and fixture.name in other.parameters:
            if _appends_to(other.function.body, fixture.name):
                return True
    return False


def _appends_to(body: cst.CSTNode, name: str) -> bool:
    """``name.append(...)`` and the like anywhere in ``body``."""
    for node in walk(body, enter_scopes=True):
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            receiver = node.func.value
            if node.func.attr.value in _ACCUMULATING_METHODS and isinstance(receiver, cst.Name):
                if receiver.value == name:
                    return True
    return False


def _check_value(context: FileContext, fixture: Fixture, located: Located, verb: str) -> Finding | None:
    value = _handed_value(located.node)
    if value is None:
        return None
    kind = container_kind(value, context.imports)
    if kind is not None:
        what = _a(kind)
        # ``-> list[str]`` would be wrong after the fix; a typed fixture is left to its author.
        fix = _fix(value, context.imports) if fixture.function.returns is None else None
    elif isinstance(value, cst.Name):
        kind = _name_kind(fixture, value.value, context.imports)
        if kind is None or _shared_on_purpose(fixture, located, value.value):
            return None
        what, fix = f"`{value.value}`, {_a(kind)}", None  # the name may be changed before it is handed out
    else:
        return None
    return BROAD_SCOPE_MUTABLE_VALUE.finding(value, _message(fixture, verb, what, kind), fix)


def _handed_value(node: cst.CSTNode) -> cst.BaseExpression | None:
    """The value of ``return value`` / ``yield value`` (not ``yield from``)."""
    if isinstance(node, cst.Return):
        return node.value
    if isinstance(node, cst.Yield) and isinstance(node.value, cst.BaseExpression):
        return node.value
    return None


def container_kind(value: cst.BaseExpression, imports: ImportTable) -> str | None:
    """``"list"`` for ``[...]``, ``list(...)`` and ``[x for ...]``; ``"deque"`` for ``dq()`` after
    ``from collections import deque as dq``; None when ``value`` is not a fresh mutable container."""
    for display, kind in _DISPLAYS.items():
        if isinstance(value, display):
            return kind
    if isinstance(value, cst.Call):
        qualified = imports.qualified_name_of(value.func)
        return _CONSTRUCTORS.get(qualified or "")
    return None


def _name_kind(fixture: Fixture, name: str, imports: ImportTable) -> str | None:
    """The container kind of a local name that every binding in the fixture body sets to a fresh
    mutable container (``x += ...`` keeps it one); None when any binding may be something else."""
    if name in fixture.parameters:
        return None
    for node in walk(fixture.function.body, enter_scopes=True):
        if isinstance(node, (cst.Global, cst.Nonlocal)) and name in {item.name.value for item in node.names}:
            return None
    kinds: set[str] = set()
    for node in walk(fixture.function.body):
        if isinstance(node, (cst.AssignTarget, cst.AugAssign)):
            continue  # targets are judged with their Assign; ``+=`` on a list leaves a list
        if isinstance(node, cst.Assign):
            bound = [t.target for t in node.targets if name in binds(t)]
        elif isinstance(node, cst.AnnAssign):
            if node.value is None:
                continue  # ``x: list[int]`` binds nothing
            bound = [node.target] if name in binds(node) else []
        elif name in binds(node):
            return None  # a loop, ``with ... as``, an import, a walrus: not known to be a container
        else:
            continue
        if not bound:
            continue
        value = node.value
        kind = container_kind(value, imports) if value is not None else None
        if kind is None or not all(isinstance(target, cst.Name) for target in bound):
            return None
        kinds.add(kind)
    if not kinds:
        return None  # not bound in the body: a module-level name, not built here
    return kinds.pop() if len(kinds) == 1 else "mutable container"


def _shared_on_purpose(fixture: Fixture, located: Located, name: str) -> bool:
    """An accumulator: the teardown after ``yield`` reads it, a finalizer uses it, or the fixture
    stores it where other code can reach it (``request.node.results = results``)."""
    names = aliases(fixture, {name})
    if handed_elsewhere(fixture, names):
        return True
    if isinstance(located.node, cst.Yield):
        teardown = _teardown(located)
        if teardown is None:
            return True  # ``with x: yield data`` on one line: do not guess
        return any(names_used(stmt) & names for stmt in teardown)
    return False


def _teardown(located: Located) -> list[cst.CSTNode] | None:
    """What runs after the test: the statements after the yield at each level of nesting, and the
    ``finally`` bodies around it."""
    path = statement_path(located)
    if path is None:
        return None
    found: list[cst.CSTNode] = []
    for step in path:
        found.extend(step.after)
        if isinstance(step.owner, cst.Try) and step.owner.finalbody is not None:
            found.append(step.owner.finalbody)
    return found


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiouAEIOU" else f"a {kind}"


def _message(fixture: Fixture, verb: str, what: str, kind: str) -> str:
    scope = fixture.scope or ""
    shared = f"every test in the {scope}"
    if fixture.has_params:
        shared += " with the same param"
    noun = "container" if kind == "mutable container" else kind
    return (
        f"`{fixture.name}` ({scope} scope) {verb} {what}: {shared} gets the same {noun}, "
        f"so a test that changes it changes what later tests see"
    )


# ---------------------------------------------------------------- fixes


def _fix(value: cst.BaseExpression, imports: ImportTable) -> Fix | None:
    """Displays only: list -> tuple, list comprehension -> ``tuple(...)``, set -> ``frozenset``,
    dict -> ``types.MappingProxyType`` when the file already imports it."""
    if isinstance(value, cst.List):
        return Fix(FixSafety.UNSAFE, "Hand out a tuple instead of a list", value, _as_tuple(value))
    if isinstance(value, cst.ListComp):
        return Fix(FixSafety.UNSAFE, "Hand out a tuple instead of a list", value, _tuple_call(value))
    if isinstance(value, (cst.Set, cst.SetComp)):
        new = _wrap(value, cst.Name("frozenset"))
        return Fix(FixSafety.UNSAFE, "Hand out a frozenset instead of a set", value, new)
    if isinstance(value, (cst.Dict, cst.DictComp)):
        proxy = _mapping_proxy(imports)
        if proxy is None:
            return None
        return Fix(FixSafety.UNSAFE, "Hand out a read-only view of the dict", value, _wrap(value, proxy))
    return None


def _as_tuple(value: cst.List) -> cst.Tuple:
    elements = list(value.elements)
    if len(elements) == 1 and not isinstance(elements[0].comma, cst.Comma):
        elements[0] = elements[0].with_changes(comma=cst.Comma())  # ``(x,)``, not ``(x)``
    lpar, rpar = list(value.lpar), list(value.rpar)
    if lpar and _tight(lpar[-1].whitespace_after) and _tight(rpar[0].whitespace_before):
        lpar, rpar = lpar[:-1], rpar[1:]  # ``([1, 2])`` -> ``(1, 2)``, not ``((1, 2))``
    return cst.Tuple(
        elements=elements,
        lpar=[*lpar, cst.LeftParen(whitespace_after=value.lbracket.whitespace_after)],
        rpar=[cst.RightParen(whitespace_before=value.rbracket.whitespace_before), *rpar],
    )


def _tight(whitespace: cst.BaseParenthesizableWhitespace) -> bool:
    return isinstance(whitespace, cst.SimpleWhitespace) and not whitespace.value


def _tuple_call(value: cst.ListComp) -> cst.Call:
    generator = cst.GeneratorExp(elt=value.elt, for_in=value.for_in, lpar=[], rpar=[])
    return cst.Call(
        func=cst.Name("tuple"),
        args=[cst.Arg(generator, whitespace_after_arg=value.rbracket.whitespace_before)],
        whitespace_before_args=value.lbracket.whitespace_after,
        lpar=value.lpar,
        rpar=value.rpar,
    )


def _wrap(value: cst.BaseExpression, func: cst.BaseExpression) -> cst.Call:
    """``func(value)``, with the parentheses written around ``value`` kept outside."""
    lpar, rpar = value.lpar, value.rpar
    inner = value.with_changes(lpar=[], rpar=[])
    return cst.Call(func=func, args=[cst.Arg(inner)], lpar=lpar, rpar=rpar)


def _mapping_proxy(imports: ImportTable) -> cst.BaseExpression | None:
    """``types.MappingProxyType`` as this file can spell it without a new import."""
    for local, target in sorted(imports.names.items()):
        if target == "types.MappingProxyType" and local not in imports.modules:
            return cst.Name(local)
    for local, target in sorted(imports.names.items()):
        if target == "types" and local in imports.modules:
            return cst.Attribute(value=cst.Name(local), attr=cst.Name("MappingProxyType"))
    return None


BROAD_SCOPE_MUTABLE_VALUE = Rule(
    code="FXL304",
    name="broad-scope-mutable-value",
    summary="A fixture broader than function scope hands out a mutable container",
    fix=FixSafety.UNSAFE,
    check=check,
    explanation="""\
## What it does
Flags a fixture with `class`, `module`, `package` or `session` scope that returns or yields a
mutable container it builds itself:

- a list, dict or set display or comprehension (`[...]`, `{...: ...}`, `{...}`);
- a call of `list()`, `dict()`, `set()`, `bytearray()`, `collections.defaultdict`,
  `OrderedDict`, `Counter` or `deque` (through any import alias);
- a local name that every assignment in the fixture body sets to one of those.

Not flagged: function-scoped fixtures (each test gets a fresh value); a scope that is not a
literal the analysis can read; tuples, frozensets, `types.MappingProxyType`, named tuples and
any other object (a settings class, a client); a container the fixture reads again after
`yield` or hands to a finalizer or an attribute (a deliberate accumulator, such as a list of
events that the teardown checks); a `return` value of a generator fixture (pytest never hands
it out); and a class-scoped fixture outside a class and a `conftest.py` that no class of its
file requests, since test functions outside a class each get their own instance.

## Why is this bad?
pytest creates a broad-scoped fixture once per class, module, package or session and hands
the same object to every test in it. Checked with pytest 9.2: after one test of the session did
`settings["debug"] = True` on a session fixture that returns `{"debug": False}`, a test in
another module saw `{"debug": True}`; a module fixture returning a list that one test appended
to was longer in the next test. Tests then pass or fail depending on which ran before them
(with `-k`, `-x`, `pytest-randomly` or `xdist` the order changes), which is hard to debug.
A parametrized fixture gets one object per param, shared by every test with that param.

## Example
```python
@pytest.fixture(scope="session")
def supported_formats():
    return ["json", "yaml"]


def test_add_toml(supported_formats):
    supported_formats.append("toml")  # every later test now sees "toml"
```

## Use instead
```python
@pytest.fixture(scope="session")
def supported_formats():
    return ("json", "yaml")
```
A dict can be handed out read-only as `types.MappingProxyType({...})`. When tests need to
change the value, make the fixture function-scoped, or have it return a fresh copy built from
a broad-scoped source (`return dict(base_settings)` in a function-scoped fixture).

## Fix safety
The fix is offered only for a display or comprehension returned or yielded directly: a list
becomes a tuple (`[1, 2]` -> `(1, 2)`, `[x for ...]` -> `tuple(x for ...)`), a set becomes
`frozenset({...})`, and a dict becomes `types.MappingProxyType({...})` when the file already
imports `types` (or `MappingProxyType`). It is unsafe: a test that mutates the value, compares
it with a list (`[1, 2] != (1, 2)`) or checks `isinstance(value, dict)` fails after the fix, and
containers nested inside the value stay mutable. No fix is offered for a fixture with a return
annotation (`-> list[str]` would no longer be true).
""",
)
