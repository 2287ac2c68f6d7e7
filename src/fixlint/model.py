"""The fixture model: what every rule needs to know about each fixture in a file.

Built once per file (one walk over each fixture's body); rules read it instead of
walking the tree again. Every CST node a rule may want to point at or replace is kept
by identity, together with its ancestors, so rules can find enclosing blocks cheaply.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

import libcst as cst

from fixlint.cst_util import SCOPES, children, dotted_name, literal_string, walk
from fixlint.imports import ImportTable

if TYPE_CHECKING:
    from fixlint.rules.base import FileContext
    from fixlint.slicing import Slice

# The decorators that make a function a fixture, by qualified name (through any import alias).
FIXTURE_DECORATORS = frozenset({"pytest.fixture", "pytest.yield_fixture", "pytest_asyncio.fixture"})


@functools.cache
def decorator_last_names(extra_decorators: Iterable[str] = ()) -> frozenset[str]:
    """The last parts of the fixture decorators' names: ``fixture``, ``yield_fixture``..."""
    return frozenset(name.rsplit(".", 1)[-1] for name in FIXTURE_DECORATORS | frozenset(extra_decorators))


def prefilter_terms(extra_decorators: Iterable[str] = ()) -> tuple[bytes, ...]:
    """Byte strings of which a file must contain one to hold any fixture."""
    terms = {b"fixture"}
    terms.update(name.rsplit(".", 1)[-1].encode() for name in extra_decorators)
    return tuple(sorted(terms))


@dataclass(frozen=True)
class Located:
    """A node inside a fixture body and its ancestors, outermost (the FunctionDef) first."""

    node: cst.CSTNode
    ancestors: tuple[cst.CSTNode, ...]


@dataclass(frozen=True)
class Step:
    """One level of nesting on the way to a node: ``block.body[index]`` is the statement taken."""

    owner: cst.CSTNode  # FunctionDef, With, Try, If, For, Else, Finally, ExceptHandler, ...
    block: cst.IndentedBlock
    index: int

    @property
    def statement(self) -> cst.BaseStatement:
        return self.block.body[self.index]

    @property
    def before(self) -> Sequence[cst.BaseStatement]:
        return self.block.body[: self.index]

    @property
    def after(self) -> Sequence[cst.BaseStatement]:
        return self.block.body[self.index + 1 :]


def statement_path(located: Located) -> list[Step] | None:
    """The blocks from the function body down to the statement holding ``located.node``.

    None when the node sits inside a one-line suite (``with x: yield``), which no rule rewrites.
    """
    chain = located.ancestors + (located.node,)
    steps: list[Step] = []
    for position, node in enumerate(chain):
        if isinstance(node, cst.IndentedBlock):
            statement = chain[position + 1]
            index = next(i for i, stmt in enumerate(node.body) if stmt is statement)
            steps.append(Step(owner=chain[position - 1], block=node, index=index))
        elif isinstance(node, cst.SimpleStatementSuite):
            return None
    return steps


@dataclass(frozen=True)
class Finalizer:
    """A ``request.addfinalizer(arg)`` (or ``request.node.addfinalizer``) call in a fixture body."""

    call: Located
    receiver: str  # "request" or "request.node"
    argument: cst.BaseExpression | None


@dataclass(eq=False)
class Fixture:
    function: cst.FunctionDef
    name: str  # the name tests request: ``name=`` if given, else the function's name
    decorator: cst.Decorator
    decorator_name: str  # qualified, e.g. "pytest.fixture"
    scope: str | None  # "function" when not given; None when it is not a literal
    autouse: bool
    has_params: bool
    is_async: bool
    class_name: str | None
    parameters: tuple[str, ...]
    yields: list[Located] = field(default_factory=list)
    returns: list[Located] = field(default_factory=list)
    finalizers: list[Finalizer] = field(default_factory=list)
    dunder_calls: list[Located] = field(default_factory=list)  # x.__enter__() / x.__exit__(...)

    @property
    def is_generator(self) -> bool:
        return bool(self.yields)

    @property
    def body(self) -> Sequence[cst.BaseStatement] | None:
        block = self.function.body
        return block.body if isinstance(block, cst.IndentedBlock) else None


@dataclass(frozen=True)
class _ModuleNames:
    """What module-level assignments say about fixtures: ``SCOPE = "session"`` (a constant a
    decorator may use) and ``session_fixture = pytest.fixture(scope="session")`` (an alias that
    is a fixture decorator with preset keywords; ``functools.partial(pytest.fixture, ...)`` too)."""

    constants: dict[str, str]
    aliases: dict[str, tuple[str, dict[str, cst.BaseExpression]]]  # local name -> (decorator, keywords)


def build_fixtures(
    module: cst.Module, imports: ImportTable, extra_decorators: Iterable[str] = ()
) -> list[Fixture]:
    """Find every fixture at module level or in (nested) classes, and describe each."""
    decorators = FIXTURE_DECORATORS | frozenset(extra_decorators)
    names = _module_names(module, imports, decorators)
    fixtures: list[Fixture] = []
    pending: list[tuple[cst.CSTNode, str | None]] = [(stmt, None) for stmt in module.body]
    while pending:
        stmt, class_name = pending.pop(0)
        if isinstance(stmt, cst.FunctionDef):
            fixture = _describe(stmt, class_name, imports, decorators, names)
            if fixture is not None:
                fixtures.append(fixture)
        elif isinstance(stmt, cst.ClassDef):
            if isinstance(stmt.body, cst.IndentedBlock):
                pending.extend((inner, stmt.name.value) for inner in stmt.body.body)
        elif isinstance(stmt, (cst.If, cst.Try, cst.With)) and isinstance(stmt.body, cst.IndentedBlock):
            # Fixtures defined under ``if sys.version_info ...:`` or ``try:`` at module level.
            pending.extend((inner, class_name) for inner in stmt.body.body)
    return fixtures


def decorates_fixtures(
    written: Iterable[str], module: cst.Module, imports: ImportTable, extra_decorators: Iterable[str] = ()
) -> bool:
    """Would any of these decorators (dotted names as written: ``pytest.mark.parametrize``)
    make a function a fixture in this module, through an import or an alias?"""
    decorators = FIXTURE_DECORATORS | frozenset(extra_decorators)
    aliases = _module_names(module, imports, decorators).aliases
    return any(name in aliases or name in decorators or imports.qualify(name) in decorators for name in written)


def _module_names(module: cst.Module, imports: ImportTable, decorators: frozenset[str]) -> _ModuleNames:
    """Module-level string constants and fixture-decorator aliases; a name bound twice is neither."""
    values: dict[str, list[cst.BaseExpression]] = {}
    for stmt in module.body:
        if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
            continue
        small = stmt.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            values.setdefault(small.targets[0].target.value, []).append(small.value)
    constants: dict[str, str] = {}
    aliases: dict[str, tuple[str, dict[str, cst.BaseExpression]]] = {}
    for name, bound in values.items():
        if len(bound) != 1:
            continue
        literal = literal_string(bound[0])
        if literal is not None:
            constants[name] = literal
        elif (decorator := _decorator_of(bound[0], imports, decorators)) is not None:
            aliases[name] = decorator
    return _ModuleNames(constants, aliases)


def _decorator_of(
    value: cst.BaseExpression, imports: ImportTable, decorators: frozenset[str]
) -> tuple[str, dict[str, cst.BaseExpression]] | None:
    """``pytest.fixture`` / ``pytest.fixture(scope="session")`` / ``functools.partial(pytest.fixture,
    scope="session")`` -> ("pytest.fixture", its keywords)."""
    args: list[cst.Arg] = []
    target: cst.BaseExpression = value
    if isinstance(value, cst.Call):
        if imports.qualified_name_of(value.func) == "functools.partial" and value.args:
            target, args = value.args[0].value, list(value.args[1:])
        else:
            target, args = value.func, list(value.args)
    written = dotted_name(target)
    if written is None:
        return None
    if imports.qualify(written) not in decorators and written not in decorators:
        return None
    return imports.qualify(written), {arg.keyword.value: arg.value for arg in args if arg.keyword is not None}


def fixture_decorator(
    function: cst.FunctionDef,
    imports: ImportTable,
    decorators: frozenset[str],
    aliases: dict[str, tuple[str, dict[str, cst.BaseExpression]]] | None = None,
) -> tuple[cst.Decorator, str, dict[str, cst.BaseExpression]] | None:
    """The decorator making ``function`` a fixture, its qualified name, and the keywords an
    alias presets (``session_fixture = pytest.fixture(scope="session")``)."""
    for decorator in function.decorators:
        expression = decorator.decorator
        target = expression.func if isinstance(expression, cst.Call) else expression
        written = dotted_name(target)
        if written is None:
            continue
        if aliases and written in aliases:
            qualified, preset = aliases[written]
            return decorator, qualified, preset
        qualified = imports.qualify(written)
        if qualified in decorators or written in decorators:
            return decorator, qualified, {}
    return None


def _describe(
    function: cst.FunctionDef,
    class_name: str | None,
    imports: ImportTable,
    decorators: frozenset[str],
    names: _ModuleNames,
) -> Fixture | None:
    found = fixture_decorator(function, imports, decorators, names.aliases)
    if found is None:
        return None
    decorator, qualified, preset = found
    keywords: dict[str, cst.BaseExpression] = dict(preset)
    positional: list[cst.BaseExpression] = []
    if isinstance(decorator.decorator, cst.Call):
        for arg in decorator.decorator.args:
            if arg.keyword is not None:
                keywords[arg.keyword.value] = arg.value
            elif not arg.star:
                positional.append(arg.value)
    scope_node = keywords.get("scope", positional[0] if positional else None)
    name_node = keywords.get("name")
    # Fixtures are requested by named parameters; ``*args``/``**kwargs`` request nothing.
    parameters = tuple(
        param.name.value
        for param in (*function.params.posonly_params, *function.params.params,
                      *function.params.kwonly_params)
    )
    # pytest binds a method's first parameter, whatever its name (not a staticmethod's).
    static = any(dotted_name(d.decorator) == "staticmethod" for d in function.decorators)
    if class_name is not None and parameters and not static:
        parameters = parameters[1:]
    fixture = Fixture(
        function=function,
        name=literal_string(name_node) or function.name.value,
        decorator=decorator,
        decorator_name=qualified,
        scope="function" if scope_node is None else _scope_value(scope_node, names.constants),
        autouse=isinstance(keywords.get("autouse"), cst.Name)
        and keywords["autouse"].value == "True",  # type: ignore[union-attr]
        has_params=_given(keywords.get("params", positional[1] if len(positional) > 1 else None)),
        is_async=function.asynchronous is not None,
        class_name=class_name,
        parameters=parameters,
    )
    _scan_body(fixture)
    return fixture


def _given(node: cst.BaseExpression | None) -> bool:
    """An argument that is there and not ``None`` (``params=None`` means no params)."""
    return node is not None and not (isinstance(node, cst.Name) and node.value == "None")


def _scope_value(node: cst.BaseExpression, constants: dict[str, str]) -> str | None:
    """A literal scope, or a module constant holding one; None for anything dynamic."""
    if isinstance(node, cst.Name) and node.value in constants:
        return constants[node.value]
    return literal_string(node)



def _scan_body(fixture: Fixture) -> None:
    """One walk over the fixture's own body (not nested scopes), recording what rules read."""
    function = fixture.function
    path: list[cst.CSTNode] = []
    stack: list[tuple[cst.CSTNode, int]] = [(function.body, 1)]
    path.append(function)
    while stack:
        node, depth = stack.pop()
        del path[depth:]
        if isinstance(node, cst.Yield):
            fixture.yields.append(Located(node, tuple(path)))
        elif isinstance(node, cst.Return):
            fixture.returns.append(Located(node, tuple(path)))
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method == "addfinalizer":
                receiver = dotted_name(node.func.value)
                if receiver in ("request", "request.node"):
                    single = node.args[0] if len(node.args) == 1 else None
                    keyword = single.keyword.value if single and single.keyword else "finalizer"
                    argument = single.value if single and keyword == "finalizer" and not single.star else None
                    fixture.finalizers.append(Finalizer(Located(node, tuple(path)), receiver, argument))
            elif method in ("__enter__", "__exit__", "__aenter__", "__aexit__"):
                fixture.dunder_calls.append(Located(node, tuple(path)))
        path.append(node)
        if isinstance(node, SCOPES):
            continue  # what a nested function or lambda does is not this fixture's body
        stack.extend((child, depth + 1) for child in reversed(list(children(node))))


def class_scope_is_shared(fixture: Fixture, context: FileContext) -> bool:
    """Can a class-scoped fixture really be shared by several tests? A test function outside any
    class gets a fresh instance for itself (pytest 9.2), so only when a class can request it: the
    fixture is a method or in a conftest.py (visible to other files), or a class of this file
    requests it (a parameter of that name, ``usefixtures("name")``, or the fixture is autouse)."""
    if fixture.class_name is not None or PurePath(context.path).name == "conftest.py":
        return True
    classes = [stmt for stmt in context.module.body if isinstance(stmt, cst.ClassDef)]
    if fixture.autouse:
        return bool(classes)
    if not classes:
        return False
    module = context.whole_module()  # the tests of the classes say which fixtures they request
    classes = [stmt for stmt in module.body if isinstance(stmt, cst.ClassDef)]
    quoted = (f'"{fixture.name}"', f"'{fixture.name}'")
    for cls in classes:
        for node in walk(cls, enter_scopes=True):
            if isinstance(node, cst.Param) and node.name.value == fixture.name:
                return True
        text = module.code_for_node(cls)
        if "usefixtures" in text and any(name in text for name in quoted):
            return True
    return False


def slice_holds(module: cst.Module, imports: ImportTable, sliced: Slice, extra_decorators: Sequence[str]) -> bool:
    """Is the parsed slice what slicing meant: every marker a statement where a test was (not
    inside a string the text scan misread), and no left-out test a fixture after all (its
    decorator an alias of ``pytest.fixture``)?"""
    found: set[str] = set()
    pending: list[cst.CSTNode] = list(module.body)
    while pending:
        statement = pending.pop()
        if isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            pending.extend(statement.body.body)
        elif isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
            small = statement.body[0]
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Name):
                found.add(small.value.value)
    if not {test.marker for test in sliced.dropped} <= found:
        return False
    written = {name for test in sliced.dropped for name in test.decorators}
    return not decorates_fixtures(written, module, imports, extra_decorators)
