"""What the four finalizer rules (FXL101-FXL104) share: what a finalizer needs, where names are
bound, and moving a registration statement without changing what a passing run does.

All four start from ``Fixture.finalizers`` (every ``request.addfinalizer(arg)`` and
``request.node.addfinalizer(arg)`` the model found) and look only inside that fixture.

pytest facts they rest on (pytest 9.2, checked by running): finalizers registered with
``request.addfinalizer`` run even when the fixture raises later, in reverse order of
registration, all of them even when one raises, and nothing checks that they are callable until
teardown calls them; ``request.node.addfinalizer`` asserts ``callable(...)`` at once.
"""

from __future__ import annotations

import functools

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import libcst as cst

from fixlint.cst_util import (
    all_params,
    binds,
    dotted_name,
    has_exit,
    names_bound,
    names_used,
    split_leading_lines,
    walk,
)
from fixlint.imports import ImportTable
from fixlint.model import Fixture, Located, Step

PARTIALS = frozenset({"functools.partial"})
_LOOPS = (cst.For, cst.While)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
_LITERALS = (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float)
# ``request`` attributes that only read data: using them cannot register a finalizer.
_REQUEST_DATA = frozenset(
    {"param", "param_index", "config", "fixturename", "fixturenames", "scope", "cls", "module", "function",
     "instance", "path", "keywords"}
)


# ------------------------------------------------------------------ what a finalizer needs


@dataclass(frozen=True)
class Needs:
    """The fixture names a finalizer argument depends on."""

    eager: frozenset[str]  # read when ``addfinalizer(...)`` runs: ``conn`` in ``conn.close``
    deferred: frozenset[str]  # read only when pytest calls the finalizer: closures
    body: tuple[cst.CSTNode, ...]  # what the finalizer runs: a lambda's body, a def's statements

    @property
    def all(self) -> frozenset[str]:
        return self.eager | self.deferred


def needs_of(argument: cst.BaseExpression, defs: dict[str, cst.FunctionDef]) -> Needs:
    if isinstance(argument, cst.Lambda):
        defaults = [param.default for param in all_params(argument.params) if param.default is not None]
        eager = frozenset().union(*(names_used(default) for default in defaults))
        return Needs(eager, frozenset(free_names(argument.params, argument.body)), (argument.body,))
    if isinstance(argument, cst.Name) and argument.value in defs:
        function = defs[argument.value]
        body = tuple(function.body.body) if isinstance(function.body, cst.IndentedBlock) else ()
        deferred = frozenset(free_names(function.params, function.body))
        return Needs(frozenset({argument.value}), deferred, body)
    return Needs(frozenset(names_used(argument)), frozenset(), ())


def free_names(params: cst.Parameters, body: cst.CSTNode) -> set[str]:
    """Names a lambda or def body reads from the enclosing fixture (an over-approximation)."""
    own = {param.name.value for param in all_params(params)} | names_bound(body)
    return names_used(body) - own


def is_partial(node: cst.CSTNode, imports: ImportTable) -> bool:
    """``functools.partial(...)`` through any import alias."""
    return isinstance(node, cst.Call) and imports.qualified_name_of(node.func) in PARTIALS


def stable_at_registration(argument: cst.BaseExpression, imports: ImportTable) -> bool:
    """Is what ``addfinalizer(argument)`` evaluates at registration unaffected by statements run
    just before it, as long as they do not rebind its names? True for a plain name, a bound
    method of a plain name (``conn.close``), a module function (``shutil.rmtree``), a closure
    whose defaults are plain names, and ``partial`` of those with plain names or literals.
    ``srv.sock.close`` or ``partial(rmtree, srv.dir)`` read attributes that a step may set."""
    if isinstance(argument, cst.Lambda):
        defaults = [param.default for param in all_params(argument.params) if param.default is not None]
        return all(_plain(default) for default in defaults)
    if is_partial(argument, imports):
        assert isinstance(argument, cst.Call)
        return bool(argument.args) and _callable_reference(argument.args[0].value, imports) and all(
            _plain(arg.value) for arg in argument.args[1:]
        )
    return _callable_reference(argument, imports)


def _callable_reference(node: cst.BaseExpression, imports: ImportTable) -> bool:
    if isinstance(node, cst.Name) or (isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)):
        return True
    dotted = dotted_name(node)
    return dotted is not None and dotted.rpartition(".")[0] in imports.modules


def _plain(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, (cst.Name, *_LITERALS))


# ------------------------------------------------------------------ where names are bound


@functools.lru_cache(maxsize=32)
def local_defs(fixture: Fixture) -> dict[str, cst.FunctionDef]:
    """Functions defined in the fixture body whose name nothing else binds (several rules ask
    about the same fixture: remembered for the last few; callers must not change the dict)."""
    defs: dict[str, list[cst.FunctionDef]] = {}
    other: set[str] = parameters(fixture.function)
    for node in walk(fixture.function.body):
        if isinstance(node, cst.FunctionDef):
            defs.setdefault(node.name.value, []).append(node)
        else:
            other.update(binds(node))
    return {name: found[0] for name, found in defs.items() if len(found) == 1 and name not in other}


def parameters(function: cst.FunctionDef) -> set[str]:
    return {param.name.value for param in all_params(function.params)}


def bound_by(statement: cst.CSTNode) -> set[str]:
    """Names a statement binds, a ``def``/``class`` statement's own name included."""
    return names_bound(statement)


def bound_by_any(statements: Iterable[cst.CSTNode]) -> set[str]:
    return set().union(*(bound_by(statement) for statement in statements))


def fixture_locals(function: cst.FunctionDef) -> set[str]:
    """Names local to the fixture function that are not parameters (so they start unbound)."""
    declared = {
        name.name.value
        for node in walk(function.body)
        if isinstance(node, (cst.Global, cst.Nonlocal))
        for name in node.names
    }
    return names_bound(function.body) - parameters(function) - declared


def bound_before(function: cst.FunctionDef, statement: cst.CSTNode) -> set[str]:
    """Names bound anywhere in the source before ``statement`` (any branch: a may-be-bound name
    counts as bound, so the rules stay quiet about it)."""
    bound: set[str] = set()
    for node in walk(function.body):
        if node is statement:
            break
        bound.update(binds(node))
    return bound


def request_names(fixture: Fixture) -> set[str]:
    """``request`` and the local names built from it (``helper = Helper(request)``, a nested
    ``def`` that uses it): calling any of them may register finalizers of its own."""
    found = {"request"}
    statements = [
        node for node in walk(fixture.function.body)
        if isinstance(node, (cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef))
    ]
    size = 0
    while size != len(found):
        size = len(found)
        for statement in statements:
            if hands_out_request(statement, found):
                found |= bound_by(statement)
    return found


def hands_out_request(node: cst.CSTNode, requesters: set[str]) -> bool:
    """Does ``node`` give ``request`` (or a helper built from it) to code that may register
    finalizers: ``remove_later(request, path)``, ``request.getfixturevalue(...)``,
    ``request.node.addfinalizer(...)``, ``tracker.watch(conn)``? Reading data
    (``request.param``, ``request.config.getoption(...)``) does not."""
    not_handed: set[int] = set()  # names read only for data, attribute and keyword names
    for current in walk(node, enter_scopes=True):
        if isinstance(current, cst.Attribute):
            not_handed.add(id(current.attr))
            if current.attr.value in _REQUEST_DATA:
                not_handed.add(id(current.value))
        elif isinstance(current, cst.Arg) and current.keyword is not None:
            not_handed.add(id(current.keyword))
        elif isinstance(current, cst.Name) and current.value in requesters and id(current) not in not_handed:
            return True
    return False


def loops(located: Located) -> list[cst.CSTNode]:
    """The loops whose body (or comprehension element) holds the node, outermost first."""
    chain = located.ancestors + (located.node,)
    found: list[cst.CSTNode] = []
    for position, node in enumerate(located.ancestors):
        inner = chain[position + 1]
        if isinstance(node, _LOOPS) and inner is node.body:
            found.append(node)
        elif isinstance(node, _COMPREHENSIONS) and inner is not node.for_in:
            found.append(node)
    return found


# ------------------------------------------------------------------ moving a registration


def is_registration_statement(step: Step, call: cst.CSTNode) -> bool:
    """Is the statement exactly ``request.addfinalizer(arg)``, so that moving it moves nothing else?"""
    statement = step.statement
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and statement.body[0].value is call
    )


def move_changes_order(statements: Sequence[cst.BaseStatement], requesters: set[str]) -> bool:
    """Would moving a registration across ``statements`` change the success path or the order in
    which finalizers run? It would across a ``return``/``yield``/``break``/``continue``, another
    registration, or anything given ``request`` (``remove_later(request, path)``,
    ``request.getfixturevalue(...)``): such a helper may register finalizers of its own."""
    if has_exit(statements, yields=True):
        return True
    for statement in statements:
        if hands_out_request(statement, requesters):
            return True
        for node in walk(statement):
            if isinstance(node, cst.Call) and (dotted_name(node.func) or "").endswith(".addfinalizer"):
                return True
    return False


def move(block: cst.IndentedBlock, source: int, after: int) -> cst.IndentedBlock:
    """``block`` with ``body[source]`` moved to just after ``body[after]``.

    The comments above the moved statement go with it; the blank lines above it stay where
    they were (the statement that followed it takes them), so the layout around keeps its shape.
    A block does not start with a blank line: when the moved statement was the first one, the
    blank lines above its follower go with it instead.
    """
    body = list(block.body)
    moved = body.pop(source)
    blanks, comments = split_leading_lines(moved)
    if source < len(body):
        follower = body[source]
        if source == 0:
            blanks, follower_lines = split_leading_lines(follower)
            body[source] = follower.with_changes(leading_lines=follower_lines)
        else:
            body[source] = follower.with_changes(leading_lines=[*blanks, *follower.leading_lines])
            blanks = []
    position = after if after > source else after + 1  # ``after`` counted before the pop
    body.insert(position, moved.with_changes(leading_lines=[*blanks, *comments]))
    return block.with_changes(body=body)


def quote_names(names: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in sorted(names))


def finalizer_program(
    argument: cst.BaseExpression, defs: dict[str, cst.FunctionDef], imports: ImportTable
) -> cst.CSTNode | None:
    """What pytest runs at teardown, as code: a lambda's body, a local def's body, and for
    ``conn.close`` or ``partial(f, a)`` the call ``conn.close()`` or ``f(a)``."""
    if isinstance(argument, cst.Lambda):
        return argument.body
    if isinstance(argument, cst.Name):
        return defs[argument.value].body if argument.value in defs else None
    if isinstance(argument, cst.Attribute):
        return cst.Call(func=argument)
    if is_partial(argument, imports):
        assert isinstance(argument, cst.Call)
        return cst.Call(func=argument.args[0].value, args=argument.args[1:]) if argument.args else None
    return None
