"""What acquires a resource and what releases it, as the teardown rules recognise them.

One table for FXL201 and the rules that reason about cleanup; extend it here.
"""

from __future__ import annotations

import re

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
# (``shutil.rmtree(path)``) with one of these words among the parts of its name
# (``close_all``, ``tearDown``, ``aclose``). Matching parts, not substrings, keeps
# ``dropdown()`` or ``exit_code`` from counting. ``join`` is left out on purpose: ``path.join``
# and ``os.path.join`` in a teardown assert are far more common than ``thread.join()``.
RELEASE_WORDS = frozenset({
    "close", "stop", "shutdown", "remove", "unlink", "rmtree", "rmdir", "delete", "drop", "kill",
    "terminate", "cleanup", "release", "dispose", "disconnect", "destroy", "teardown", "cancel",
    "rollback", "exit", "unmount", "umount", "uninstall", "quit", "purge", "undo",
    "unregister", "unsubscribe", "detach", "unpatch",
})
_NAME_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# Methods that make a freshly built object hold something: their failure means nothing
# was acquired yet (``bucket.create()``, ``server.start()``, ``path.mkdir()``).
ACTIVATION_METHODS = frozenset({
    "create", "start", "open", "connect", "mkdir", "makedirs", "bind", "listen", "begin",
    "setup", "set_up", "init", "initialize", "launch", "__enter__", "__aenter__", "activate",
    "login", "mount", "install", "register", "subscribe", "attach", "patch", "acquire",
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
    """``conn.close``, ``shutil.rmtree``, ``self.tearDown``, ``client.aclose``, ``db.drop_all``."""
    dotted = dotted_name(function)
    if not dotted:
        return False
    called = dotted.rsplit(".", 1)[-1]
    parts = {part.lower() for part in _NAME_PARTS.findall(called)}
    squashed = called.lower().replace("_", "")
    return bool(parts & RELEASE_WORDS) or squashed in RELEASE_WORDS or (
        squashed.startswith("a") and squashed[1:] in RELEASE_WORDS  # async: aclose, astop
    )


def activates(statement: cst.BaseStatement, name: str, acquired_by: cst.Call) -> bool:
    """``bucket.create()`` right after ``bucket = s3.Bucket(...)``: the call that really acquires.

    Only when ``name`` was built by instantiating a class (``Consumer(broker)``): if the
    activating call fails, nothing was acquired, so it belongs to the acquisition. A function
    that acquires by itself (``chan = open_channel(url)``) holds the resource already, and a
    failing ``chan.subscribe()`` after it leaks it.
    """
    built = (dotted_name(acquired_by.func) or "").rsplit(".", 1)[-1]
    if not built[:1].isupper():
        return False
    assignment = simple_assignment(statement)
    call = strip_await(assignment[1]) if assignment else single_call(statement)
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
        return False
    return root_name(call.func.value) == name and call.func.attr.value.lower() in ACTIVATION_METHODS
