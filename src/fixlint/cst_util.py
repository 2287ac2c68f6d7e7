"""Small read-only helpers over libcst nodes.

They walk nodes by hand instead of through a CSTVisitor: a visitor rebuilds every
node it passes (design.md measures one traversal at about one more parse), and the
rules only ever look inside fixture functions, which are a small part of a file.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Iterable, Iterator

import libcst as cst

_EMPTY_MODULE = cst.Module(body=[])
_ELLIPSIS_SUITE = cst.SimpleStatementSuite(body=[cst.Expr(cst.Ellipsis())])

# Nested scopes: code inside them does not run when the enclosing statement runs.
SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)

# Leaves and whitespace never hold anything a rule looks for; skipping them keeps walks cheap.
_INERT = (
    cst.BaseParenthesizableWhitespace,
    cst.EmptyLine,
    cst.TrailingWhitespace,
    cst.Comment,
    cst.Newline,
    cst.Semicolon,
    cst.Colon,
    cst.Comma,
    cst.Dot,
    cst.AssignEqual,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.BaseBinaryOp,
    cst.BaseBooleanOp,
    cst.BaseCompOp,
    cst.BaseUnaryOp,
    cst.BaseAugOp,
    cst.Integer,
    cst.Float,
    cst.Imaginary,
    cst.SimpleString,
)


def code_of(node: cst.CSTNode) -> str:
    """The source text of ``node`` on its own, as libcst would print it."""
    return _EMPTY_MODULE.code_for_node(node)


class _DropComments(cst.CSTTransformer):
    def leave_Comment(self, original: cst.Comment, updated: cst.Comment) -> cst.RemovalSentinel:
        return cst.RemoveFromParent()

    def leave_EmptyLine(self, original: cst.EmptyLine, updated: cst.EmptyLine) -> cst.RemovalSentinel:
        return cst.RemoveFromParent()


def short_code(node: cst.CSTNode, limit: int = 60) -> str:
    """How a message quotes a node: one line, no comments, a compound statement by its header."""
    if "#" in code_of(node):
        node = node.visit(_DropComments())  # type: ignore[assignment]
    if isinstance(node, cst.SimpleStatementLine):
        assignment = simple_assignment(node)
        if assignment is not None and isinstance(strip_await(assignment[1]), cst.Call):
            targets = " ".join(code_of(node.body[0]).split("=", 1)[0].split())
            return f"{targets} = {short_code(assignment[1], max(20, limit - len(targets) - 3))}"
        text = "; ".join(code_of(small.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)) for small in node.body)
    elif isinstance(node, (cst.Try, cst.TryStar)):
        text = "try: ..."
    elif isinstance(node, cst.BaseCompoundStatement):
        # The header alone: the body becomes ``...`` and else-branches are dropped.
        header: dict[str, object] = {"leading_lines": (), "body": _ELLIPSIS_SUITE}
        if hasattr(node, "orelse"):
            header["orelse"] = None
        text = code_of(node.with_changes(**header))
    else:
        text = code_of(node)
    text = " ".join(text.split()).replace("( ", "(").replace(" )", ")")
    if len(text) > limit and isinstance(node, cst.Call) and dotted_name(node.func):
        text = f"{dotted_name(node.func)}(...)"  # the callee says more than a cut-off argument list
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def dotted_name(node: cst.CSTNode | None) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def literal_string(node: cst.BaseExpression | None) -> str | None:
    """The value of a string literal (implicit concatenation included), else None."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def is_docstring(statement: cst.BaseStatement) -> bool:
    """A statement that is just a string: a docstring when it comes first in a body."""
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def root_name(node: cst.CSTNode) -> str | None:
    """The leftmost Name of an attribute/subscript/call chain: ``conn`` in ``conn.cursor().close``."""
    while True:
        if isinstance(node, cst.Name):
            return node.value
        if isinstance(node, (cst.Attribute, cst.Subscript)):
            node = node.value
        elif isinstance(node, cst.Call):
            node = node.func
        else:
            return None


def _subclasses(classes: Iterable[type]) -> frozenset[type]:
    found: set[type] = set()
    pending = list(classes)
    while pending:
        cls = pending.pop()
        if cls not in found:
            found.add(cls)
            pending.extend(cls.__subclasses__())
    return frozenset(found)


_INERT_TYPES = _subclasses(_INERT)
_SCOPE_TYPES = _subclasses(SCOPES)
_SEQUENCES = (list, tuple)
_NOT_A_NODE = (type(None), cst.MaybeSentinel)
# The fields a node's children come from, as libcst's own ``_visit_and_replace_children`` names
# them: ``visit_required(self, "func", self.func, visitor)``.
_VISITED_FIELD = re.compile(r'visit_\w+\(\s*self,\s*"(\w+)"')
_WHITESPACE_FIELDS = ("whitespace", "leading_lines", "lines_after_decorators", "lpar", "rpar")


def children(node: cst.CSTNode, skip: frozenset[type] = _INERT_TYPES) -> list[cst.CSTNode]:
    """The child nodes of ``node`` in source order, leaving out whitespace and the ``skip``
    types (by default punctuation, operators and literals: ``_INERT``).

    libcst's own ``node.children`` rebuilds ``node`` through a visitor to collect them (as
    costly as parsing it again); reading the fields directly is about five times cheaper,
    and a walk over a fixture body is what every rule does."""
    fields = _child_fields(type(node))
    if fields is None:
        return [child for child in node.children if type(child) not in skip]
    found: list[cst.CSTNode] = []
    for name in fields:
        value = getattr(node, name)
        kind = type(value)
        if kind in _SEQUENCES:
            found.extend(child for child in value if type(child) not in skip)
        elif kind not in skip and kind not in _NOT_A_NODE:
            found.append(value)
    return found


@functools.cache
def _child_fields(cls: type) -> tuple[str, ...] | None:
    """The fields of ``cls`` that hold child nodes, in the order libcst visits them (source
    order); None when libcst's source cannot be read, and ``node.children`` must do."""
    try:
        source = inspect.getsource(cls._visit_and_replace_children)  # type: ignore[attr-defined]
    except (OSError, TypeError):
        return None
    fields = dict.fromkeys(_VISITED_FIELD.findall(source))
    return tuple(name for name in fields if not name.startswith(_WHITESPACE_FIELDS))


def walk(node: cst.CSTNode, *, enter_scopes: bool = False) -> Iterator[cst.CSTNode]:
    """Every node below ``node`` (and ``node`` itself), depth first, in source order.

    With ``enter_scopes=False`` the bodies of nested functions, lambdas and classes are
    skipped: what runs in them does not run where they are defined.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current is not node and not enter_scopes and type(current) in _SCOPE_TYPES:
            continue
        stack.extend(reversed(children(current)))


def names_used(node: cst.CSTNode) -> set[str]:
    """Names read anywhere in ``node`` (closures included), not attribute or keyword names."""
    found: set[str] = set()
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
        elif isinstance(current, cst.Attribute):
            stack.append(current.value)
        elif isinstance(current, cst.Arg):
            stack.append(current.value)
        elif isinstance(current, cst.Param):
            if current.default is not None:
                stack.append(current.default)
        elif isinstance(current, (cst.FunctionDef, cst.ClassDef)):
            stack.extend(child for child in children(current) if child is not current.name)
        else:
            stack.extend(children(current))
    return found


def assigned_names(target: cst.BaseExpression) -> list[str]:
    """Plain names bound by an assignment target (tuples and starred unpacked)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        names: list[str] = []
        for element in target.elements:
            names.extend(assigned_names(element.value))
        return names
    if isinstance(target, cst.StarredElement):
        return assigned_names(target.value)
    return []


def binds(node: cst.CSTNode) -> list[str]:
    """Names this one node binds, not its children (``names_bound`` collects them over a walk)."""
    kind = type(node)
    if kind not in _BINDERS:  # most nodes: answered without isinstance (libcst's are ABCs: slow)
        return []
    if kind is cst.AssignTarget:
        return assigned_names(node.target)  # type: ignore[attr-defined]
    if kind in (cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr):
        return assigned_names(node.target)  # type: ignore[attr-defined]
    if kind is cst.AsName:
        return assigned_names(node.name)  # type: ignore[attr-defined]
    if kind in (cst.FunctionDef, cst.ClassDef):
        return [node.name.value]  # type: ignore[attr-defined]
    if node.asname is not None:  # type: ignore[attr-defined]
        return assigned_names(node.asname.name)  # type: ignore[attr-defined]
    return [(dotted_name(node.name) or "").split(".")[0]]  # type: ignore[attr-defined]


_BINDERS = frozenset({
    cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr, cst.AsName,
    cst.FunctionDef, cst.ClassDef, cst.ImportAlias,
})


def names_bound(node: cst.CSTNode) -> set[str]:
    """Local names that running ``node`` may bind (assignments, for, with-as, walrus, imports, defs)."""
    return {name for current in walk(node) for name in binds(current)}


def all_params(params: cst.Parameters) -> list[cst.Param]:
    """Every parameter of a function or lambda, ``*args`` and ``**kwargs`` included."""
    found = [*params.posonly_params, *params.params, *params.kwonly_params]
    for extra in (params.star_arg, params.star_kwarg):
        if isinstance(extra, cst.Param):
            found.append(extra)
    return found


def simple_assignment(stmt: cst.BaseStatement) -> tuple[list[str], cst.BaseExpression] | None:
    """``(names, value)`` for a one-statement line ``a = value`` / ``a: T = value`` / ``a, b = value``."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Assign):
        names: list[str] = []
        for target in small.targets:
            names.extend(assigned_names(target.target))
        return (names, small.value) if names else None
    if isinstance(small, cst.AnnAssign) and small.value is not None:
        names = assigned_names(small.target)
        return (names, small.value) if names else None
    return None


def strip_await(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.expression if isinstance(node, cst.Await) else node


def single_call(stmt: cst.BaseStatement) -> cst.Call | None:
    """The call of an expression statement ``f(x)`` or ``await f(x)``, else None."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        small = stmt.body[0]
        if isinstance(small, cst.Expr):
            value = strip_await(small.value)
            if isinstance(value, cst.Call):
                return value
    return None


def split_leading_lines(statement: cst.BaseStatement) -> tuple[list[cst.EmptyLine], list[cst.EmptyLine]]:
    """A statement's leading lines: the blank lines before its first comment, and the rest.

    Fixes that move statements keep comments with the statement they describe and leave
    blank lines where the layout had them.
    """
    lines = list(statement.leading_lines)
    keep = next((i for i, line in enumerate(lines) if line.comment is not None), len(lines))
    return lines[:keep], lines[keep:]


def lift_blank_lines(
    statements: list[cst.BaseStatement],
) -> tuple[list[cst.EmptyLine], list[cst.BaseStatement]]:
    """For wrapping ``statements`` in a new block (``try:``, ``finally:``, ``with``): the blank
    lines above the first go above the new header line; its comments stay with it."""
    first, *rest = statements
    blanks, comments = split_leading_lines(first)
    return blanks, [first.with_changes(leading_lines=comments), *rest]


# Statements that leave a block early; moving them into or out of ``try`` changes what runs.
EXITS = (cst.Return, cst.Break, cst.Continue)


def has_exit(statements: Iterable[cst.CSTNode], *, yields: bool = False) -> bool:
    """Does any of ``statements`` (not nested functions) hold ``return``/``break``/``continue``,
    or with ``yields=True`` also ``yield``?"""
    kinds = (*EXITS, cst.Yield) if yields else EXITS
    return any(isinstance(node, kinds) for statement in statements for node in walk(statement))


# Blocks whose statements still run at module level (conditional imports and definitions).
_MODULE_LEVEL_BLOCKS = (cst.If, cst.Try, cst.TryStar, cst.With, cst.Else, cst.ExceptHandler,
                        cst.ExceptStarHandler, cst.Finally)


def module_statements(module: cst.Module) -> list[cst.CSTNode]:
    """Module-level statements, including those under ``if``/``try``/``with`` at module level
    (``if TYPE_CHECKING:``, ``try: import x``), in source order."""
    found: list[cst.CSTNode] = []
    pending: list[cst.CSTNode] = list(module.body)
    while pending:
        stmt = pending.pop(0)
        if not isinstance(stmt, _MODULE_LEVEL_BLOCKS):
            found.append(stmt)
            continue
        inner: list[cst.CSTNode] = list(stmt.body.body) if isinstance(stmt.body, cst.IndentedBlock) else []
        for extra in ("handlers", "orelse", "finalbody"):
            value = getattr(stmt, extra, None)
            if isinstance(value, (list, tuple)):
                inner.extend(value)
            elif value is not None:
                inner.append(value)
        pending[:0] = inner
    return found
