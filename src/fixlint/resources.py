"""What acquires a resource and what releases it, as the teardown rules recognise them.

One table for FXL201 and the rules that reason about cleanup; extend it here.
"""

from __future__ import annotations

import libcst as cst

from fixlint.cst_util import dotted_name, names_used, root_name, simple_assignment, single_call, strip_await, walk

# Calls that build an object without acquiring anything yet: a patcher is inert until
# ``.start()``, a thread until ``.start()``. Their teardown is not skipped "with a leak".
INERT_CONSTRUCTORS = frozenset(
    {
        "unittest.mock.patch", "unittest.mock.patch.object", "unittest.mock.patch.dict",
        "unittest.mock.patch.multiple", "mock.patch", "mock.patch.object", "mock.patch.dict",
        "mock.patch.multiple", "threading.Thread", "threading.Timer", "multiprocessing.Process",
    }
)
# Calls that release: a method on the resource (``conn.close()``) or a function given it
# (``shutil.rmtree(path)``) whose name contains one of these words.
RELEASE_WORDS = ("close", "stop", "shutdown", "remove", "unlink", "rmtree", "delete", "drop",
                 "kill", "terminate", "cleanup", "clean_up", "release", "dispose", "disconnect",
                 "destroy", "teardown", "cancel", "rollback", "exit", "unmount", "uninstall")
# Methods that make a freshly built object hold something: their failure means nothing
# was acquired yet (``bucket.create()``, ``server.start()``, ``path.mkdir()``).
ACTIVATION_METHODS = frozenset({
    "create", "start", "open", "connect", "mkdir", "makedirs", "bind", "listen", "begin",
    "setup", "set_up", "init", "initialize", "launch", "__enter__", "__aenter__", "activate",
    "login", "mount", "install", "register",
})


def releases(statement: cst.BaseStatement, name: str) -> bool:
    """Does this teardown statement release ``name``: a releasing method called on it
    (``conn.close()``, ``bucket.objects.delete()``), or a releasing function given it
    (``shutil.rmtree(path)``)? Other uses (``assert path.exists()``, ``os.chdir(old)``)
    are not releases."""
    for node in walk(statement):
        if not isinstance(node, cst.Call) or not is_release_name(node.func):
            continue
        if isinstance(node.func, cst.Attribute) and root_name(node.func.value) == name:
            return True
        if any(name in names_used(arg.value) for arg in node.args):
            return True
    return False


def is_release_name(function: cst.BaseExpression) -> bool:
    called = (dotted_name(function) or "").rsplit(".", 1)[-1].lower()
    return bool(called) and any(word in called for word in RELEASE_WORDS)


def activates(statement: cst.BaseStatement, name: str) -> bool:
    """``bucket.create()`` right after ``bucket = s3.Bucket(...)``: the call that really acquires.

    If it fails, nothing was acquired, so it is part of the acquisition, not a step after it.
    """
    assignment = simple_assignment(statement)
    call = strip_await(assignment[1]) if assignment else single_call(statement)
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
        return False
    return root_name(call.func.value) == name and call.func.attr.value.lower() in ACTIVATION_METHODS
