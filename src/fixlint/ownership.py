"""Who else may release an object a fixture creates.

The leak rules (FXL207, FXL301, FXL302) report an object only when nothing could clean it
up. Anything that hands the object to other code (an attribute, a subscript, a list, an
``ExitStack``, a finalizer, a release call) counts as "someone may", so these checks are
deliberately wide: a possible release means there is nothing to report.
"""

from __future__ import annotations

import libcst as cst

from fixlint.cst_util import names_used, root_name, simple_assignment, walk
from fixlint.model import Fixture
from fixlint.resources import is_release_name

# Calls that store an object where code outside the fixture may find and release it.
STORE_METHODS = frozenset({"append", "add", "extend", "insert", "push", "callback", "enter_context",
                           "register", "setdefault", "update", "put", "enter_async_context",
                           "push_async_exit", "push_async_callback", "appendleft"})
EXIT_METHODS = frozenset({"__exit__", "__aexit__"})


def aliases(fixture: Fixture, names: set[str]) -> set[str]:
    """``names`` and every name that ``other = name`` makes another name for the same object."""
    found = set(names)
    assignments = [
        pair
        for node in walk(fixture.function.body)
        if isinstance(node, cst.SimpleStatementLine) and (pair := simple_assignment(node)) is not None
    ]
    changed = True
    while changed:
        changed = False
        for targets, value in assignments:
            if isinstance(value, cst.Name) and value.value in found and not set(targets) <= found:
                found.update(targets)
                changed = True
    return found


def handed_elsewhere(fixture: Fixture, names: set[str]) -> bool:
    """Could the fixture, or anything it hands the object to, exit or release it?

    Yes for: ``cm.__exit__`` mentioned anywhere (also in a nested finalizer function), a
    finalizer that uses it, a release call on it or given it, storing it where other code
    can reach it, or a ``global``/``nonlocal`` naming it."""
    if not names:
        return False
    for finalizer in fixture.finalizers:
        if finalizer.argument is not None and names_used(finalizer.argument) & names:
            return True
    for node in walk(fixture.function.body, enter_scopes=True):
        if isinstance(node, cst.Attribute) and node.attr.value in EXIT_METHODS:
            if root_name(node.value) in names:
                return True
        elif isinstance(node, cst.Call) and (handed_to_release(node, names) or stores(node, names)):
            return True
        elif isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)) and stored_in_object(node, names):
            return True
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            if {item.name.value for item in node.names} & names:
                return True
        elif isinstance(node, cst.WithItem) and names_used(node.item) & names:
            return True
    return False


def handed_to_release(call: cst.Call, names: set[str]) -> bool:
    """``p.stop()`` / ``client.close()`` / ``shutil.rmtree(path)`` / ``pool.release(cm)`` on one of
    the names. Wider than ``resources.releases`` on purpose: any release-named call given it counts."""
    if not is_release_name(call.func):
        return False
    if isinstance(call.func, cst.Attribute) and root_name(call.func.value) in names:
        return True
    return any(names_used(arg.value) & names for arg in call.args)


def stores(call: cst.Call, names: set[str]) -> bool:
    """``stack.push(cm)``, ``registry.append(cm)``, ``atexit.register(cm.__exit__)``."""
    if not isinstance(call.func, cst.Attribute) or call.func.attr.value not in STORE_METHODS:
        return False
    return any(names_used(arg.value) & names for arg in call.args)


def stored_in_object(node: cst.Assign | cst.AnnAssign | cst.AugAssign, names: set[str]) -> bool:
    """``self.cm = cm`` / ``request.node.cm = cm`` / ``CMS[key] = cm``: someone else may release it."""
    if node.value is None or not names_used(node.value) & names:
        return False
    targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
    return any(not isinstance(target, (cst.Name, cst.Tuple, cst.List)) for target in targets)
