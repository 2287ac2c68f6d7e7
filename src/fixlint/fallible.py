"""Which statements can raise, as the setup-order rules (FXL102, FXL201) count them.

The catalogue's definition: a statement is fallible when it contains a call, ``await``,
``raise`` or ``assert``. Calls that cannot reasonably fail are exempt so that a
``print`` or a log line between acquisition and ``yield`` is not called a leak.
"""

from __future__ import annotations

import libcst as cst

from fixlint.cst_util import all_params, dotted_name, walk
from fixlint.imports import ImportTable
from fixlint.resources import builds_inert

# Builtins that do not raise on ordinary arguments.
HARMLESS_BUILTINS = frozenset(
    {"print", "len", "isinstance", "issubclass", "id", "callable", "hasattr", "repr", "type", "bool"}
)
# Other calls that do not fail where fixtures make them: closing a descriptor just made by
# ``fd, path = tempfile.mkstemp()``.
HARMLESS_CALLS = frozenset({"os.close"})
# Building a mock does not fail (``proto = mock.Mock()``), whatever module it comes from.
MOCK_CLASSES = frozenset({"Mock", "MagicMock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock",
                          "PropertyMock"})
# ``logger.info(...)``: logging reports its own handler errors instead of raising them.
LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
LOG_RECEIVERS = frozenset({"log", "logger", "_log", "_logger", "LOG", "LOGGER", "logging"})
# ``found.append(srv)`` on a local collection does not fail.
COLLECTING_METHODS = frozenset({"append", "appendleft", "extend", "insert", "add", "discard"})
_BROAD_HANDLERS = frozenset({"Exception", "BaseException"})
# Calls that never return normally (they always raise): a path ending in one does not
# "finish" a fixture or fall off its end.
NO_RETURN_CALLS = frozenset(
    {"pytest.skip", "pytest.fail", "pytest.xfail", "pytest.exit", "sys.exit", "os._exit", "os.abort"}
)


def is_harmless_call(call: cst.Call) -> bool:
    name = dotted_name(call.func)
    if name is None:
        return False
    if name in HARMLESS_BUILTINS or name in HARMLESS_CALLS:
        return True
    receiver, _, method = name.rpartition(".")
    if method in MOCK_CLASSES or builds_inert(name):
        return True  # building a mock, a patcher or a thread does not fail; starting one can
    if method in ("addfinalizer", "partial"):
        return True  # registering a finalizer, or building a partial, does not fail (its arguments may)
    if method in COLLECTING_METHODS and receiver and "." not in receiver:
        return True
    return method in LOG_METHODS and receiver.rsplit(".", 1)[-1] in LOG_RECEIVERS


def is_fallible(node: cst.CSTNode) -> bool:
    """Can running ``node`` raise? (Bodies of nested functions and lambdas do not run.)"""
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        # Defining runs only the decorators, defaults and base classes.
        parts = [decorator.decorator for decorator in node.decorators]
        if isinstance(node, cst.FunctionDef):
            parts += [param.default for param in all_params(node.params) if param.default is not None]
        else:
            parts += [arg.value for arg in (*node.bases, *node.keywords)]
        return any(is_fallible(part) for part in parts)
    if isinstance(node, cst.Try) and _catches_everything(node):
        # ``try: step() except Exception: pass`` swallows what ``step()`` raises.
        parts: list[cst.CSTNode] = [handler.body for handler in node.handlers]
        parts += [part for part in (node.orelse, node.finalbody) if part is not None]
        return any(is_fallible(part) for part in parts)
    for current in walk(node):
        if isinstance(current, (cst.Await, cst.Raise, cst.Assert, cst.With)):
            return True
        if isinstance(current, cst.Call) and not is_harmless_call(current):
            return True
        if isinstance(current, cst.Try) and current is not node and _catches_everything(current):
            if is_fallible(current):
                return True
    return False


# pytest outcomes a fixture may end its setup with: a skipped or xfailed test is a run that
# passes today, so a fix that makes teardown run on that path is not safe.
OUTCOME_CALLS = frozenset(
    {name for name in NO_RETURN_CALLS if name.startswith("pytest.")} | {"pytest.importorskip"}
)


def ends_with_outcome(node: cst.CSTNode, imports: ImportTable) -> bool:
    """Can ``node`` end the setup with a pytest outcome (``pytest.skip(...)`` and the like)?"""
    return any(
        isinstance(current, cst.Call) and imports.qualified_name_of(current.func) in OUTCOME_CALLS
        for current in walk(node)
    )


def is_skip_guard(statement: cst.CSTNode, imports: ImportTable) -> bool:
    """``if not has_json1(conn): pytest.skip(...)`` (no else), or a bare ``pytest.skip(...)`` /
    ``pytest.importorskip(...)`` line: it either ends the setup with an outcome or does nothing."""
    if isinstance(statement, cst.If) and statement.orelse is None:
        body = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else statement.body.body
        return all(ends_with_outcome(part, imports) for part in body)
    return isinstance(statement, cst.SimpleStatementLine) and ends_with_outcome(statement, imports)


def may_raise(node: cst.CSTNode) -> bool:
    """Wider than ``is_fallible``: can an ``except`` around ``node`` be reached from it?
    ``d[key]``, ``import x`` and ``await`` can raise too."""
    return is_fallible(node) or any(
        isinstance(current, (cst.Subscript, cst.Import, cst.ImportFrom, cst.Await)) for current in walk(node)
    )


def _catches_everything(node: cst.Try) -> bool:
    for handler in node.handlers:
        if handler.type is None or dotted_name(handler.type) in _BROAD_HANDLERS:
            return True
    return False
