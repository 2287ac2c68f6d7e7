"""What acquires a resource and what releases it, as the cleanup rules recognise them.

One place for FXL201, FXL102 and the other rules that reason about cleanup; extend it here.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

import libcst as cst

from fixlint.cst_util import dotted_name, names_used, root_name, simple_assignment, single_call, strip_await, walk
from fixlint.imports import ImportTable

# Calls that build an object without acquiring anything yet: a patcher is inert until
# ``.start()``, a thread until ``.start()``. Their teardown is not skipped "with a leak".
INERT_CONSTRUCTORS = frozenset(
    {
        "unittest.mock.patch", "unittest.mock.patch.object", "unittest.mock.patch.dict",
        "unittest.mock.patch.multiple", "mock.patch", "mock.patch.object", "mock.patch.dict",
        "mock.patch.multiple", "threading.Thread", "threading.Timer", "multiprocessing.Process",
    }
)
# Calls that return a module: ``pyplot = pytest.importorskip("matplotlib.pyplot")``.
MODULE_RETURNING = frozenset({"pytest.importorskip", "importlib.import_module", "__import__"})
def builds_inert(written: str) -> bool:
    """Is ``written`` (a call's dotted name as written, import aliases unknown) one of the
    inert constructors: ``patch``, ``mock.patch.dict``, ``patch.object``, ``Thread``?"""
    return any(name == written or name.endswith("." + written) for name in INERT_CONSTRUCTORS)


# Builtins that compute a value and hold nothing: ``entry = str(tmp_path)`` acquires nothing.
VALUE_BUILTINS = frozenset(
    {"str", "int", "float", "bytes", "bool", "list", "dict", "set", "tuple", "frozenset", "sorted",
     "len", "repr", "type", "getattr", "max", "min", "sum", "abs", "round", "format", "hash", "id"}
)
# Modules whose functions compute values: ``path = os.path.join(root, "x")`` acquires nothing.
VALUE_MODULES = ("os.path.", "posixpath.", "ntpath.", "json.", "re.", "textwrap.")
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
# Methods that make what a path or handle names exist (``path.mkdir()``): if they fail,
# nothing exists yet, so they belong to the acquisition.
CREATING_METHODS = frozenset({"mkdir", "makedirs", "touch", "create"})
# Methods that make a freshly built object hold something (``server.start()``,
# ``bucket.create()``); they belong to the acquisition only for an object built from a class.
ENGAGING_METHODS = frozenset({
    "start", "open", "connect", "bind", "listen", "begin", "setup", "set_up", "init",
    "initialize", "launch", "__enter__", "__aenter__", "activate", "login", "mount", "install",
    "register", "subscribe", "attach", "patch", "acquire", "enter_context", "enter_async_context",
})


def acquiring_call(statement: cst.BaseStatement, imports: ImportTable) -> cst.Call | None:
    """The call in ``conn = connect()`` / ``conn = await connect()``, when it may acquire something.

    Patchers and threads (inert until started) and value builtins (``str(path)``) do not.
    """
    assignment = simple_assignment(statement)
    if assignment is None:
        return None
    value = strip_await(assignment[1])
    if not isinstance(value, cst.Call):
        return None
    qualified = imports.qualified_name_of(value.func) or ""
    if qualified in INERT_CONSTRUCTORS | MODULE_RETURNING or dotted_name(value.func) in VALUE_BUILTINS:
        return None
    if qualified.startswith(VALUE_MODULES):
        return None
    return value


def name_parts(name: str) -> set[str]:
    """The lower-cased words of a name: ``close_callback`` / ``closeCallback`` -> {close, callback}."""
    return {part.lower() for part in _NAME_PARTS.findall(name)}


def is_release_name(function: cst.BaseExpression) -> bool:
    """``conn.close``, ``shutil.rmtree``, ``self.tearDown``, ``client.aclose``, ``db.drop_all``."""
    dotted = dotted_name(function)
    if not dotted:
        return False
    called = dotted.rsplit(".", 1)[-1]
    parts = name_parts(called)
    squashed = called.lower().replace("_", "")
    return bool(parts & RELEASE_WORDS) or squashed in RELEASE_WORDS or (
        squashed.startswith("a") and squashed[1:] in RELEASE_WORDS  # async: aclose, astop
    )


def is_release_function(function: cst.BaseExpression, imports: ImportTable) -> bool:
    """A function that releases what it is given: ``shutil.rmtree``, ``os.remove``, a bare
    ``drop_database``. ``sys.path.remove(entry)`` or ``logger.removeHandler(h)`` are not: they
    undo a registration, which a failing registration step never made."""
    dotted = dotted_name(function)
    if dotted is None or not is_release_name(function):
        return False
    receiver = dotted.rpartition(".")[0]
    return not receiver or receiver in imports.modules


def releases(
    statement: cst.CSTNode,
    name: str,
    imports: ImportTable,
    acquired_by: cst.Call | None = None,
    local_names: Collection[str] | None = None,
) -> bool:
    """Does ``statement`` release ``name``? Yes for a releasing method called on it
    (``conn.close()``, ``bucket.objects.delete()``), a releasing function given it
    (``shutil.rmtree(path)``), or a releasing method of the object that created it
    (``volume_driver.remove(volume)`` after ``volume = volume_driver.create()``). Other uses
    (``assert path.exists()``, ``os.chdir(old)``, ``logger.removeHandler(handler)`` for a
    handler made elsewhere) are not releases."""
    creator = owner_of(acquired_by)
    for node in walk(statement):
        if not isinstance(node, cst.Call) or not is_release_name(node.func):
            continue
        if isinstance(node.func, cst.Attribute) and root_name(node.func.value) == name:
            # ``logger.removeHandler(handler)`` takes a local ``handler`` off ``logger``; it does not
            # release ``logger``. ``trans.unregister(graph)`` with a module-level ``graph`` does
            # release ``trans``. (Without ``local_names``, any other name counts as local.)
            if not any(
                isinstance(arg.value, cst.Name)
                and arg.value.value != name
                and (local_names is None or arg.value.value in local_names)
                for arg in node.args
            ):
                return True
            continue
        given = any(name in names_used(arg.value) for arg in node.args)
        if given and (is_release_function(node.func, imports) or (creator and owner_of(node) == creator)):
            return True
    return False


def owner_of(call: cst.Call | None) -> str | None:
    """The object a method call is made on: ``volume_driver`` in ``volume_driver.create(...)``."""
    if call is None or not isinstance(call.func, cst.Attribute):
        return None
    return root_name(call.func.value)


def releases_on_failure(statement: cst.CSTNode, name: str, imports: ImportTable) -> bool:
    """Is ``name`` released when ``statement`` fails: ``try: seed(conn) except: conn.close(); raise``,
    a ``finally`` that releases it, or ``with conn:``?"""
    for node in walk(statement):
        if isinstance(node, cst.Try):
            parts: list[cst.CSTNode] = [*node.handlers]
            if node.finalbody is not None:
                parts.append(node.finalbody)
            if any(releases(part, name, imports) for part in parts):
                return True
        elif isinstance(node, cst.WithItem) and root_name(node.item) == name:
            return True
    return False


# Releases that stop something running (``srv.shutdown()``, ``proc.terminate()``). Unlike
# ``close``, they may need the start to have happened: socketserver's ``shutdown()`` blocks
# forever unless ``serve_forever()`` is running.
STOP_WORDS = frozenset({"stop", "shutdown", "terminate", "kill", "cancel", "quit"})
# Methods that set something running.
RUNNING_WORDS = frozenset({"start", "run", "serve", "forever", "loop", "launch"})


def stops_only(statements: list[cst.CSTNode], name: str) -> bool:
    """Do the releases of ``name`` in ``statements`` all stop it rather than close it?"""
    words: set[str] = set()
    for statement in statements:
        for node in walk(statement):
            if isinstance(node, cst.Call) and is_release_name(node.func):
                words |= name_parts((dotted_name(node.func) or "").rsplit(".", 1)[-1])
    return bool(words) and words & RELEASE_WORDS <= STOP_WORDS


def starts(statement: cst.CSTNode, name: str) -> bool:
    """Does ``statement`` set ``name`` running: ``srv.start()``, ``srv.serve_forever()``, or a
    bound method handed off (``threading.Thread(target=httpd.serve_forever)``)?"""
    for node in walk(statement):
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            if root_name(node.func.value) == name and name_parts(node.func.attr.value) & RUNNING_WORDS:
                return True
        if isinstance(node, cst.Arg) and isinstance(node.value, cst.Attribute):
            if root_name(node.value) == name and name_parts(node.value.attr.value) & RUNNING_WORDS:
                return True
    return False


def activates(statement: cst.BaseStatement, name: str, acquired_by: cst.Call) -> bool:
    """``path.mkdir()`` or ``bucket.create()`` right after ``name`` was bound: the call that
    really acquires. If it fails, nothing was acquired, so it is part of the acquisition.

    Engaging methods (``start``, ``subscribe``) count only for an object built from a class
    (``Consumer(broker)``): a function that acquires by itself (``chan = open_channel(url)``)
    holds the resource already, and a failing ``chan.subscribe()`` after it leaks it.
    """
    assignment = simple_assignment(statement)
    call = strip_await(assignment[1]) if assignment else single_call(statement)
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
        return False
    if root_name(call.func.value) != name:
        return False
    method = call.func.attr.value.lower()
    if method in CREATING_METHODS:
        return True
    built = (dotted_name(acquired_by.func) or "").rsplit(".", 1)[-1]
    return method in ENGAGING_METHODS and built[:1].isupper()


# The resources FXL301 knows by name: what creates one, what releases it, and what happens
# when nothing does. Users add their own in ``[tool.fixlint] resources`` (see config.py).
@dataclass(frozen=True)
class ResourceKind:
    noun: str  # "file", "process": how a message names it
    verb: str  # what releasing it does, as in "nothing ever closes it": "closes", "stops"
    release: tuple[str, ...]  # methods (``close``) or dotted functions given it (``shutil.rmtree``)
    effect: str  # what happens when nothing releases it; ``{when}`` says when the GC steps in
    fix: tuple[str, ...] = ()  # statements the fix adds, ``{name}`` for the resource; () = no fix
    outlives: bool = False  # keeps running / stays on disk: the garbage collector does not end it
    temporary: bool = False  # a temporary file or directory: tmp_path does this job
    needs_start: bool = False  # leaks only once started (``t.start()``)
    only_with: tuple[str, str] | None = None  # (keyword, literal): ``delete=False``


_COLLECTED = "it stays open until the garbage collector reclaims it{when}, with a `ResourceWarning`"
_ON_DISK = ("it stays on disk after the session, one more for every run; `tmp_path` / "
            "`tmp_path_factory.mktemp()` give a directory that pytest cleans up")
FILE = ResourceKind("file", "closes", ("close",), _COLLECTED, ("{name}.close()",))
ARCHIVE = ResourceKind("archive", "closes", ("close",), _COLLECTED, ("{name}.close()",))
SOCKET = ResourceKind("socket", "closes", ("close",), _COLLECTED, ("{name}.close()",))
CONNECTION = ResourceKind("connection", "closes", ("close",), _COLLECTED, ("{name}.close()",))
ENGINE = ResourceKind("engine", "disposes of", ("dispose",),
                      "its pooled connections stay open until the garbage collector reclaims it{when}",
                      ("{name}.dispose()",))
EVENT_LOOP = ResourceKind("event loop", "closes", ("close",), _COLLECTED, ("{name}.close()",))
PROCESS = ResourceKind("process", "stops or waits for",
                       ("terminate", "kill", "wait", "communicate", "poll", "send_signal", "os.waitpid"),
                       "if it is still running, it keeps running through every later test and after the "
                       "session", ("{name}.terminate()", "{name}.wait()"), outlives=True)
# asyncio's ``terminate()`` raises ProcessLookupError once the process has exited.
ASYNC_PROCESS = ResourceKind("process", PROCESS.verb, PROCESS.release, PROCESS.effect,
                             ("if {name}.returncode is None:\n    {name}.terminate()", "await {name}.wait()"),
                             outlives=True)
EXECUTOR = ResourceKind("executor", "shuts down", ("shutdown",),
                        "its worker threads or processes stay alive until the garbage collector "
                        "reclaims it{when}", ("{name}.shutdown()",))
POOL = ResourceKind("pool", "stops", ("close", "terminate", "join"),
                    "its worker processes stay alive until the garbage collector reclaims it{when}, "
                    "with a `ResourceWarning`", ("{name}.terminate()",))
# A server's socket is closed by the garbage collector; a serving thread keeps it alive,
# and that thread is what gets reported then.
SERVER = ResourceKind("server", "closes", ("server_close", "shutdown"),
                      "its socket stays bound until the garbage collector reclaims it{when}, "
                      "with a `ResourceWarning`", ("{name}.server_close()",))
# No fix: ``join()`` on a thread that serves forever would hang the suite.
THREAD = ResourceKind("thread", "stops or joins", ("join",),
                      "if it is still running, it keeps running alongside every later test",
                      outlives=True, needs_start=True)
TEMP_DIR = ResourceKind("temporary directory", "removes", ("shutil.rmtree",), _ON_DISK,
                        ("shutil.rmtree({name}, ignore_errors=True)",), outlives=True, temporary=True)
TEMP_DIRECTORY_OBJECT = ResourceKind(
    "temporary directory", "cleans up", ("cleanup",),
    "it is removed only when the garbage collector reclaims it{when}, with a `ResourceWarning`; `tmp_path` / "
    "`tmp_path_factory.mktemp()` give a directory that pytest cleans up",
    ("{name}.cleanup()",), temporary=True)
TEMP_FILE = ResourceKind("temporary file", "removes", ("os.remove", "os.unlink"), _ON_DISK,
                         outlives=True, temporary=True)
NAMED_TEMP_FILE = ResourceKind("temporary file", "removes", ("os.remove", "os.unlink"), _ON_DISK,
                               outlives=True, temporary=True, only_with=("delete", "False"))

RESOURCES: dict[str, ResourceKind] = {
    **dict.fromkeys(("open", "io.open", "builtins.open", "codecs.open", "gzip.open", "bz2.open",
                     "lzma.open"), FILE),
    **dict.fromkeys(("tarfile.open", "zipfile.ZipFile"), ARCHIVE),
    **dict.fromkeys(("socket.socket", "socket.create_connection", "socket.create_server"), SOCKET),
    **dict.fromkeys(("sqlite3.connect", "psycopg2.connect", "psycopg.connect", "pymysql.connect",
                     "MySQLdb.connect", "pyodbc.connect", "cx_Oracle.connect", "oracledb.connect",
                     "duckdb.connect"), CONNECTION),
    "sqlalchemy.create_engine": ENGINE,
    "asyncio.new_event_loop": EVENT_LOOP,
    "subprocess.Popen": PROCESS,
    **dict.fromkeys(("asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell"), ASYNC_PROCESS),
    **dict.fromkeys(("concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor"),
                    EXECUTOR),
    **dict.fromkeys(("multiprocessing.Pool", "multiprocessing.pool.Pool", "multiprocessing.pool.ThreadPool"),
                    POOL),
    **dict.fromkeys(("http.server.HTTPServer", "http.server.ThreadingHTTPServer", "socketserver.TCPServer",
                     "socketserver.ThreadingTCPServer", "socketserver.UDPServer",
                     "socketserver.ThreadingUDPServer", "socketserver.UnixStreamServer",
                     "wsgiref.simple_server.make_server", "xmlrpc.server.SimpleXMLRPCServer"), SERVER),
    **dict.fromkeys(("threading.Thread", "threading.Timer", "multiprocessing.Process"), THREAD),
    "tempfile.mkdtemp": TEMP_DIR,
    "tempfile.TemporaryDirectory": TEMP_DIRECTORY_OBJECT,
    "tempfile.mkstemp": TEMP_FILE,
    "tempfile.NamedTemporaryFile": NAMED_TEMP_FILE,
}


def user_resource(releases: tuple[str, ...]) -> ResourceKind:
    """A resource the user declared (``"myapp.db.connect" = "close"``): released by those
    methods or functions; the fix calls the first when it is a method."""
    first = releases[0] if releases else ""
    fix = (f"{{name}}.{first}()",) if first and "." not in first else ()
    return ResourceKind("resource", "releases", releases,
                        "it stays open until the garbage collector reclaims it{when}", fix)


def resource_table() -> str:
    """``RESOURCES`` as the Markdown table FXL301's explanation shows: one row per kind."""
    rows: dict[ResourceKind, list[str]] = {}
    for created_by, kind in RESOURCES.items():
        rows.setdefault(kind, []).append(created_by)
    lines = ["| created by | released by |", "| --- | --- |"]
    for kind, names in rows.items():
        condition = ", once started" if kind.needs_start else ""
        if kind.only_with is not None:
            condition = f", with `{kind.only_with[0]}={kind.only_with[1]}`"
        releases = " / ".join(f"`{name}`" if "." in name else f"`.{name}()`" for name in kind.release)
        lines.append(f"| {', '.join(f'`{name}`' for name in names)}{condition} | {releases} |")
    return "\n".join(lines)
