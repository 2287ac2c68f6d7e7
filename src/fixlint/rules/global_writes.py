"""What counts as a change to process-global state (FXL303), and the monkeypatch calls that
would make the same change undoably.

Process-global state is what every later test in the process shares: ``os.environ`` (and the
C-level environment behind ``os.putenv``), the working directory, ``sys.path``, ``sys.modules``,
and attributes of imported modules and objects. Each change becomes a ``Write``; whether
anything undoes it is global_restores.py's question.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from fixlint.cst_util import code_of, dotted_name, root_name, short_code, walk
from fixlint.imports import ImportTable
from fixlint.model import Located

# What a change touches, by family. ``Target.key`` is the variable, module name, ``sys.path``
# entry or attribute; None means the whole object (``os.environ.clear()``, ``sys.path[:] = x``).
ENV, CWD, PATH, MODULES, ATTR = "env", "cwd", "path", "modules", "attr"
FAMILY_OF = {"os.environ": ENV, "sys.path": PATH, "sys.modules": MODULES}
# Calls that run a module again: a restore of the attributes its source sets.
RELOADS = frozenset({"importlib.reload", "imp.reload"})
# Calls that only convert a value: ``str(tmp_path)`` reads nothing a ``setenv`` could change.
_CONVERSIONS = frozenset({"str", "int", "repr", "os.fspath", "os.path.join", "os.pathsep.join"})

Plan = list[tuple[str, list[cst.Arg]]]  # the monkeypatch calls that replace a change


@dataclass(frozen=True)
class Target:
    family: str
    owner: str  # the qualified object written: "os.environ", "myapp.settings" ("cwd" for CWD)
    root: str  # the local name it is reached through: "os", "environ", "settings"
    key: str | None = None
    literal: bool = False  # a literal key: two different literals never name the same thing

    def same_as(self, other: Target) -> bool:
        """Could the two name the same state? (Generous: unknown keys match anything.)"""
        if self.family != other.family or (self.family == ATTR and self.owner != other.owner):
            return False
        if self.key is None or other.key is None or not (self.literal and other.literal):
            return True
        return self.key == other.key


@dataclass(eq=False)
class Write:
    """One statement or call that changes a target, and where it sits in the fixture."""

    node: cst.CSTNode  # where a finding points: the Assign / Del / AugAssign / Call
    target: Target
    kind: str  # "set", "delete", or "restore" (``sys.path.remove``, ``importlib.reload``)
    verb: str  # "sets `os.environ["TZ"]`"
    effect: str  # "sees `TZ` set"
    plan: Plan | None = None
    value: cst.CSTNode | None = None  # what it writes: a saved copy makes it a restore
    # Filled in by the scan:
    located: Located | None = None
    order: int = 0  # position in source order
    nested: bool = False  # inside a nested def or lambda (a finalizer, or a helper)
    teardown: bool = False  # after the first ``yield``, or in a ``finally`` / ``except``


class Resolver:
    """Which global object an expression names, inside one fixture."""

    def __init__(self, imports: ImportTable, local: set[str]) -> None:
        self.imports = imports
        self.local = local

    def qualified(self, node: cst.CSTNode) -> str | None:
        """``_os.environ`` -> ``os.environ``; None unless the root is an import not shadowed."""
        root = root_name(node)
        if root is None or root in self.local or root not in self.imports.names:
            return None
        return self.imports.qualified_name_of(node)

    def family(self, node: cst.CSTNode) -> str | None:
        """ENV / PATH / MODULES for ``os.environ`` / ``sys.path`` / ``sys.modules`` (any alias)."""
        return FAMILY_OF.get(self.qualified(node) or "")


# ------------------------------------------------------------------ recognising changes


def writes_of(node: cst.CSTNode, ancestors: tuple[cst.CSTNode, ...], resolver: Resolver) -> list[Write]:
    """The changes ``node`` makes (one per target of ``a, b = ...`` / ``del a, b``), each with the
    monkeypatch calls that can replace it when a rewrite can."""
    if isinstance(node, cst.Assign):
        targets = [part for target in node.targets for part in _unpacked(target.target)]
        single = len(targets) == 1 and _sole_statement(node, ancestors)
        found = [_assignment(target, node, node.value, resolver, single) for target in targets]
    elif isinstance(node, (cst.AugAssign, cst.AnnAssign)):
        found = [_assignment(node.target, node, node.value, resolver, False)] if node.value else []
        for write in found if isinstance(node, cst.AugAssign) else ():
            if write is not None:  # ``os.environ["PATH"] += ...`` changes the value it found
                write.verb = write.verb.replace("sets", "changes", 1)
                write.effect = write.effect.replace(" set", " changed").replace("the new", "the changed")
    elif isinstance(node, cst.Del):
        targets = _unpacked(node.target)
        single = len(targets) == 1 and _sole_statement(node, ancestors)
        found = [_deletion(target, node, resolver, single) for target in targets]
    elif isinstance(node, cst.Call):
        if not _may_write(node, resolver):
            return []  # most calls: no need to print the statement or the call
        statement = isinstance(ancestors[-1], cst.Expr) and _sole_statement(ancestors[-1], ancestors[:-1])
        found = [_call_write(node, resolver, statement)]
    else:
        return []
    return [write for write in found if write is not None]


def _unpacked(target: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The parts of ``a, b = ...`` / ``del a, b`` (the target itself when it is not a tuple)."""
    if isinstance(target, (cst.Tuple, cst.List)):
        return [part for element in target.elements for part in _unpacked(element.value)]
    return [target]


def _sole_statement(small: cst.CSTNode, ancestors: tuple[cst.CSTNode, ...]) -> bool:
    """Is ``small`` the only statement on its line, so a rewrite can replace it whole?"""
    parent = ancestors[-1]
    return (
        isinstance(parent, (cst.SimpleStatementLine, cst.SimpleStatementSuite))
        and len(parent.body) == 1
        and "#" not in code_of(small)  # a rewrite would drop comments inside the statement
    )


def _index(node: cst.Subscript) -> cst.BaseExpression | None:
    """The key of ``x[key]`` (None for slices and ``x[a, b]``)."""
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return node.slice[0].slice.value
    return None


def _target(family: str, holder: cst.BaseExpression, resolver: Resolver,
            key: cst.BaseExpression | None = None) -> Target:
    text, literal = None, False
    if isinstance(key, (cst.SimpleString, cst.ConcatenatedString)) and isinstance(key.evaluated_value, str):
        text, literal = key.evaluated_value, True
    elif key is not None:
        text = " ".join(code_of(key).split())
    return Target(family, resolver.qualified(holder) or "", root_name(holder) or "", text, literal)


def _label(target: Target) -> str:
    return f"`{target.key}`" if target.key is not None else "the environment"


def _assignment(target: cst.BaseExpression, statement: cst.CSTNode, value: cst.BaseExpression,
                resolver: Resolver, convertible: bool) -> Write | None:
    """``os.environ[k] = v``, ``sys.modules[k] = m``, ``sys.path[:] = x``, ``mod.attr = v``."""
    written = f"`{short_code(target)}`"
    if isinstance(target, cst.Subscript):
        family, key = resolver.family(target.value), _index(target)
        if family == ENV and key is not None:
            where = _target(ENV, target.value, resolver, key)
            plan = [("setenv", [_arg(key), _arg(value)])] if convertible else None
            return Write(statement, where, "set", f"sets {written}", f"sees {_label(where)} set", plan, value)
        if family == MODULES and key is not None:
            where = _target(MODULES, target.value, resolver, key)
            plan = [("setitem", [_arg(target.value), _arg(key), _arg(value)])] if convertible else None
            return Write(statement, where, "set", f"sets {written}",
                         f"gets the replacement from `import {where.key}`", plan, value)
        if family == PATH:
            return Write(statement, _target(PATH, target.value, resolver), "set", f"assigns {written}",
                         "imports through the changed `sys.path`", None, value)
        return None
    if not isinstance(target, cst.Attribute) or resolver.qualified(target) is None:
        return None
    family = resolver.family(target)
    if family is not None:  # ``sys.path = [...]``: the whole object is replaced
        where = Target(family, resolver.qualified(target) or "", root_name(target) or "")
        effect = f"sees the replaced {written}"
    else:
        where = _target(ATTR, target.value, resolver, cst.SimpleString(repr(target.attr.value)))
        effect = f"sees the new {written}"
        if isinstance(target.value, cst.Name) and target.value.value in resolver.imports.modules:
            written = f"module attribute {written}"
    name = cst.SimpleString(f'"{target.attr.value}"')
    plan = None
    if convertible:
        plan = [("setattr", [_arg(target.value), _arg(name), _arg(value), _not_raising()])]
    return Write(statement, where, "set", f"sets {written}", effect, plan, value)


def _deletion(target: cst.BaseExpression, statement: cst.Del, resolver: Resolver,
              convertible: bool) -> Write | None:
    """``del os.environ[k]``, ``del sys.modules[k]``, ``del mod.attr`` (``del sys.path[0]`` undoes)."""
    written = f"`{short_code(target)}`"
    if isinstance(target, cst.Subscript):
        family, key = resolver.family(target.value), _index(target)
        if family == PATH:
            return Write(statement, _target(PATH, target.value, resolver), "restore", "", "")
        if key is None or family not in (ENV, MODULES):
            return None
        where = _target(family, target.value, resolver, key)
        if family == ENV:
            plan = [("delenv", [_arg(key)])] if convertible else None
            return Write(statement, where, "delete", f"deletes {written}", f"finds {_label(where)} unset",
                         plan)
        plan = [("delitem", [_arg(target.value), _arg(key)])] if convertible else None
        return Write(statement, where, "delete", f"deletes {written}", f"imports `{where.key}` afresh", plan)
    if isinstance(target, cst.Attribute) and resolver.qualified(target) is not None:
        where = _target(ATTR, target.value, resolver, cst.SimpleString(repr(target.attr.value)))
        plan = [("delattr", [_arg(target.value), _arg(cst.SimpleString(f'"{target.attr.value}"'))])]
        return Write(statement, where, "delete", f"deletes {written}", f"finds {written} missing",
                     plan if convertible else None)
    return None


_CALLS_THAT_WRITE = frozenset({"os.chdir", "os.putenv", "os.unsetenv", *RELOADS})


def _may_write(call: cst.Call, resolver: Resolver) -> bool:
    """Could ``_call_write`` find a change in ``call``? (The quick test, asked first.)"""
    func = call.func
    if isinstance(func, cst.Name) and func.value in ("setattr", "delattr"):
        return True
    if isinstance(func, cst.Attribute) and resolver.family(func.value) is not None:
        return True
    return resolver.qualified(func) in _CALLS_THAT_WRITE


def _call_write(call: cst.Call, resolver: Resolver, statement: bool) -> Write | None:
    """``os.chdir(p)``, ``os.putenv(k, v)``, ``os.environ.update(...)``, ``sys.path.insert(0, p)``,
    ``sys.modules.pop(k)``, ``setattr(mod, "x", v)``, ``importlib.reload(mod)``."""
    qualified = resolver.qualified(call.func)
    args = [arg for arg in call.args if arg.keyword is None and not arg.star]
    convertible = statement and len(args) == len(call.args)
    quoted = f"`{short_code(call)}`"
    if qualified == "os.chdir" and len(args) == 1:
        where = Target(CWD, "cwd", root_name(call.func) or "")
        return Write(call, where, "set", f"calls {quoted}",
                     f"runs in `{short_code(args[0].value, 30)}` instead of the directory it started in",
                     [("chdir", [_arg(args[0].value)])] if convertible else None, args[0].value)
    if qualified in ("os.putenv", "os.unsetenv") and args:
        where = _target(ENV, call.func, resolver, args[0].value)
        if qualified == "os.putenv":
            effect = f"starts child processes with {_label(where)} set"
            return Write(call, where, "set", f"calls {quoted}", effect)
        effect = f"starts child processes without {_label(where)}"
        return Write(call, where, "delete", f"calls {quoted}", effect)
    if qualified in RELOADS and len(args) == 1 and resolver.qualified(args[0].value):
        where = Target(ATTR, resolver.qualified(args[0].value) or "", root_name(args[0].value) or "")
        return Write(call, where, "restore", "", "")
    if isinstance(call.func, cst.Name) and call.func.value in ("setattr", "delattr"):
        return _builtin_attr_write(call, call.func.value, resolver, convertible)
    if not isinstance(call.func, cst.Attribute):
        return None
    receiver, method = call.func.value, call.func.attr.value
    family = resolver.family(receiver)
    if family == ENV:
        return _environ_call(call, receiver, method, args, statement, resolver)
    if family == PATH:
        return _path_call(call, receiver, method, args, convertible, resolver)
    if family == MODULES:
        return _modules_call(call, receiver, method, args, convertible, resolver)
    return None


def _builtin_attr_write(call: cst.Call, method: str, resolver: Resolver, convertible: bool) -> Write | None:
    if len(call.args) != (3 if method == "setattr" else 2) or resolver.qualified(call.args[0].value) is None:
        return None
    holder, name = call.args[0].value, call.args[1].value
    where = _target(ATTR, holder, resolver, name)
    plan = None
    if convertible:
        extra = [_not_raising()] if method == "setattr" else []
        plan = [(method, [*(_arg(arg.value) for arg in call.args), *extra])]
    shown = f"`{short_code(holder, 30)}.{where.key if where.literal else short_code(name, 30)}`"
    if method == "setattr":
        return Write(call, where, "set", f"calls `{short_code(call)}`", f"sees the new {shown}", plan,
                     call.args[2].value)
    return Write(call, where, "delete", f"calls `{short_code(call)}`", f"finds {shown} missing", plan)


def _environ_call(call: cst.Call, environ: cst.BaseExpression, method: str, args: list[cst.Arg],
                  statement: bool, resolver: Resolver) -> Write | None:
    quoted = f"`{short_code(call)}`"
    convertible = statement and len(args) == len(call.args)
    if method in ("__setitem__", "setdefault") and len(args) == 2:
        where = _target(ENV, environ, resolver, args[0].value)
        plan = None
        if convertible and method == "__setitem__":
            plan = [("setenv", [_arg(a.value) for a in args])]
        return Write(call, where, "set", f"calls {quoted}", f"sees {_label(where)} set", plan, args[1].value)
    if method in ("pop", "__delitem__") and args:
        where = _target(ENV, environ, resolver, args[0].value)
        plan = _delete_plan("delenv", [], args) if convertible else None
        return Write(call, where, "delete", f"calls {quoted}", f"finds {_label(where)} unset", plan)
    if method == "update":
        plan = _update_plan(call) if statement else None
        return Write(call, _target(ENV, environ, resolver), "set", f"calls {quoted}",
                     "sees the variables it set", plan, args[0].value if args else None)
    if method in ("clear", "popitem"):
        return Write(call, _target(ENV, environ, resolver), "delete", f"calls {quoted}",
                     "runs with variables missing from the environment")
    return None


def _path_call(call: cst.Call, path: cst.BaseExpression, method: str, args: list[cst.Arg],
               convertible: bool, resolver: Resolver) -> Write | None:
    if method in ("remove", "pop", "clear", "__delitem__"):
        return Write(call, _target(PATH, path, resolver), "restore", "", "")
    if method not in ("insert", "append", "extend") or not args:
        return None
    entry = args[-1].value
    plan = None
    if convertible and method == "insert" and len(args) == 2 and _is_zero(args[0].value):
        plan = [("syspath_prepend", [_arg(entry)])]
    shown = "its entries" if method == "extend" else f"`{short_code(entry, 30)}`"
    return Write(call, _target(PATH, path, resolver, entry), "set", f"calls `{short_code(call)}`",
                 f"imports with {shown} on `sys.path`", plan, entry)


def _modules_call(call: cst.Call, modules: cst.BaseExpression, method: str, args: list[cst.Arg],
                  convertible: bool, resolver: Resolver) -> Write | None:
    quoted = f"`{short_code(call)}`"
    if method in ("pop", "__delitem__") and args:
        where = _target(MODULES, modules, resolver, args[0].value)
        plan = _delete_plan("delitem", [_arg(modules)], args) if convertible else None
        return Write(call, where, "delete", f"calls {quoted}", f"imports `{where.key}` afresh", plan)
    if method in ("__setitem__", "setdefault") and len(args) == 2:
        where = _target(MODULES, modules, resolver, args[0].value)
        plan = None
        if convertible and method == "__setitem__":
            plan = [("setitem", [_arg(modules), _arg(args[0].value), _arg(args[1].value)])]
        return Write(call, where, "set", f"calls {quoted}", f"gets the replacement from `import {where.key}`",
                     plan, args[1].value)
    if method in ("update", "clear"):
        return Write(call, _target(MODULES, modules, resolver), "set", f"calls {quoted}",
                     "imports through the changed `sys.modules`")
    return None


def _is_zero(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Integer) and node.value == "0"


def _delete_plan(method: str, before: list[cst.Arg], args: list[cst.Arg]) -> Plan | None:
    """``pop(k)`` -> ``delenv(k)``; ``pop(k, default)`` -> ``delenv(k, raising=False)``: the popped
    value is thrown away, so only a default whose evaluation does nothing may be dropped."""
    if len(args) > 2 or (len(args) == 2 and not _plain(args[1].value)):
        return None
    rewritten = [*before, _arg(args[0].value)]
    if len(args) == 2:
        rewritten.append(_not_raising())
    return [(method, rewritten)]


def _update_plan(call: cst.Call) -> Plan | None:
    """``os.environ.update({"A": a})`` / ``update(A=a)`` -> one ``setenv`` per variable, when
    nothing in the keys or values can notice that they are now set one at a time."""
    pairs: list[tuple[cst.BaseExpression, cst.BaseExpression]] = []
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is not None:
            pairs.append((cst.SimpleString(f'"{arg.keyword.value}"'), arg.value))
        elif isinstance(arg.value, cst.Dict) and len(call.args) == 1:
            for element in arg.value.elements:
                if not isinstance(element, cst.DictElement):
                    return None
                pairs.append((element.key, element.value))
        else:
            return None
    if not all(_plain(key) and _plain(value) for key, value in pairs):
        return None
    return [("setenv", [_arg(key), _arg(value)]) for key, value in pairs] or None


def _plain(node: cst.BaseExpression) -> bool:
    """Does evaluating ``node`` read nothing but names, literals and conversions of them?"""
    for current in walk(node):
        if isinstance(current, cst.Call) and dotted_name(current.func) not in _CONVERSIONS:
            return False
        if isinstance(current, (cst.Subscript, cst.Await, cst.NamedExpr, cst.Yield)):
            return False
    return True


def _keyword(name: str, value: cst.BaseExpression) -> cst.Arg:
    none = cst.SimpleWhitespace("")
    return cst.Arg(keyword=cst.Name(name), value=value, equal=cst.AssignEqual(none, none))


def _not_raising() -> cst.Arg:
    """``raising=False``: ``monkeypatch.setattr`` raises when the attribute does not exist yet,
    where an assignment creates it."""
    return _keyword("raising", cst.Name("False"))


def _arg(value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(value=value)
