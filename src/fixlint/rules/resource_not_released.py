"""FXL301 resource-not-released: a fixture creates a known resource and nothing ever releases it.

The resources are those of ``resources.RESOURCES`` plus the user's ``[tool.fixlint] resources``.
Anything that might release the object (a release call anywhere in the fixture, a ``with``,
a finalizer, handing it to other code, any use in the teardown) means there is nothing to report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import libcst as cst

from fixlint.cst_util import (
    binds,
    dotted_name,
    names_bound,
    names_used,
    root_name,
    short_code,
    simple_assignment,
    strip_await,
    walk,
)
from fixlint.imports import ImportTable
from fixlint.model import Fixture, statement_path
from fixlint.ownership import aliases, handed_elsewhere
from fixlint.resources import VALUE_BUILTINS, VALUE_MODULES, ResourceKind, is_release_name, resource_table
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule
from fixlint.rules.return_inside_with import annotation_for_yield

# Calls that read a value from what they are given and keep nothing of it: ``Path(d)``.
_NOT_OWNING = frozenset({"pathlib.Path", "pathlib.PurePath", "os.fspath", "os.fsencode"})


@dataclass(frozen=True)
class _Acquisition:
    call: cst.Call
    kind: ResourceKind
    names: tuple[str, ...]  # the names it was bound to; () when returned or yielded directly
    statement: cst.BaseStatement | None = None  # ``x = open(p)``
    direct: cst.Return | cst.Yield | None = None  # ``return open(p)``
    rebound: bool = False  # a name is bound again later (``data = data.read()``)


def check(context: FileContext) -> Iterator[Finding]:
    module_names = _module_level_names(context.module) if context.fixtures else set()
    for fixture in context.fixtures:
        unknown = _Names(set(fixture.parameters) | names_bound(fixture.function.body), module_names)
        for acquisition in _acquisitions(fixture, context.imports, context.resources, unknown):
            if _may_be_released(context, fixture, acquisition):
                continue
            yield RESOURCE_NOT_RELEASED.finding(
                acquisition.call, _message(fixture, acquisition), _fix(context, fixture, acquisition)
            )


def _module_level_names(module: cst.Module) -> set[str]:
    """Names the module binds itself (``def open(...)``): they shadow the builtins of that name."""
    found: set[str] = set()
    for statement in module.body:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            found.add(statement.name.value)
        elif isinstance(statement, cst.SimpleStatementLine):
            found |= names_bound(statement)
    return found


@dataclass(frozen=True)
class _Names:
    """Names that do not mean what the import table says: the fixture's own, and the module's."""

    local: set[str]  # parameters and names bound in the fixture: they shadow imports and builtins
    module: set[str]  # names the module binds (``def open(...)``): they shadow builtins


def _acquisitions(
    fixture: Fixture, imports: ImportTable, table: Mapping[str, ResourceKind], shadowed: _Names
) -> Iterator[_Acquisition]:
    """``x = open(p)`` anywhere in the body, and ``return open(p)`` / ``yield open(p)``."""
    bindings = Counter(name for node in walk(fixture.function.body) for name in binds(node))
    for node in walk(fixture.function.body):
        if isinstance(node, cst.SimpleStatementLine) and (assignment := simple_assignment(node)):
            value = strip_await(assignment[1])
            kind = _kind(value, imports, table, shadowed)
            if kind is not None and isinstance(value, cst.Call):
                names = tuple(assignment[0])
                if kind.temporary and len(names) == 2:
                    names = names[1:]  # ``fd, path = tempfile.mkstemp()``: the path is what stays
                rebound = any(bindings[name] > 1 for name in names)
                yield _Acquisition(value, kind, names, node, rebound=rebound)
    for located in (*fixture.returns, *fixture.yields):
        statement = located.node
        assert isinstance(statement, (cst.Return, cst.Yield))
        value = strip_await(statement.value) if isinstance(statement.value, cst.BaseExpression) else None
        kind = _kind(value, imports, table, shadowed) if value is not None else None
        if kind is not None and isinstance(value, cst.Call):
            yield _Acquisition(value, kind, (), direct=statement)


def _kind(
    value: cst.BaseExpression, imports: ImportTable, table: Mapping[str, ResourceKind], shadowed: _Names
) -> ResourceKind | None:
    if not isinstance(value, cst.Call) or (written := dotted_name(value.func)) is None:
        return None
    head = written.split(".")[0]
    if head in shadowed.local:
        return None  # ``tarfile`` is a parameter here, not the module
    if head not in imports.names and ("." in written or head in shadowed.module):
        return None  # ``sqlite3.connect`` without ``import sqlite3``; ``def open(...)`` in the module
    kind = table.get(imports.qualify(written))
    if kind is None:
        return None
    keywords = {arg.keyword.value: arg.value for arg in value.args if arg.keyword is not None}
    if kind.temporary and ("dir" in keywords or len(value.args) - len(keywords) >= 3):
        return None  # ``mkdtemp(dir=tmp_path)``: it lives where its owner cleans up
    if kind.only_with is not None:
        keyword, literal = kind.only_with
        if dotted_name(keywords.get(keyword)) != literal:
            return None  # ``NamedTemporaryFile()`` deletes itself on close
    return kind


def _may_be_released(context: FileContext, fixture: Fixture, acquisition: _Acquisition) -> bool:
    """Is there any way, seen or guessed, that the resource gets released?"""
    imports = context.imports
    if _released_by_requester(context, fixture):
        return True
    if not acquisition.names:
        # Nothing can refer to it after ``return open(p)``; a thread returned unstarted holds nothing.
        return acquisition.kind.needs_start
    names = aliases(fixture, set(acquisition.names))
    kind = acquisition.kind
    if kind.needs_start and (not _started(fixture, names) or _stoppable_elsewhere(fixture, acquisition.call)):
        return True
    if handed_elsewhere(fixture, names) or _released(fixture, names, kind, imports):
        return True
    if _passed_on(fixture, names, imports) or _used_in_teardown(fixture, names):
        return True
    if kind.needs_start and (fixture.finalizers or _has_teardown(fixture)):
        return True  # a teardown may stop the thread another way (an event, a shutdown call)
    if acquisition.rebound and not kind.outlives:
        return True  # ``data = data.read()``: what is handed out is no longer the resource
    return not kind.outlives and not _handed_out(fixture, names)


def _started(fixture: Fixture, names: set[str]) -> bool:
    return any(
        isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "start" and dotted_name(node.func.value) in names
        for node in walk(fixture.function.body)
    )


def _stoppable_elsewhere(fixture: Fixture, call: cst.Call) -> bool:
    """A thread that was never started holds nothing; one whose target belongs to an object
    outside the fixture (``target=self.dialog.poll``) can be stopped through that object, by
    ``teardown_method`` or another fixture. Only a plain function or a local object's method
    (``target=server.serve_forever``, nothing else holding ``server``) has no other way to stop."""
    target = next((arg.value for arg in call.args if arg.keyword and arg.keyword.value in ("target", "function")),
                  call.args[1].value if len(call.args) > 1 and call.args[1].keyword is None else None)
    if target is None:
        return True
    if isinstance(target, (cst.Name, cst.Lambda)):
        return False
    owner = root_name(target)
    if owner is None or owner not in names_bound(fixture.function.body) or owner in fixture.parameters:
        return True
    return handed_elsewhere(fixture, aliases(fixture, {owner}))


def _released(fixture: Fixture, names: set[str], kind: ResourceKind, imports: ImportTable) -> bool:
    """A release call anywhere in the fixture, nested finalizer functions included: one of the
    kind's methods on it (``t.join()``), one of its functions given it (``shutil.rmtree(d)``), or
    any release-named method on something built from it (``Path(path).unlink()``)."""
    methods = {name for name in kind.release if "." not in name}
    functions = {name for name in kind.release if "." in name}
    for node in walk(fixture.function.body, enter_scopes=True):
        if isinstance(node, cst.Arg) and isinstance(node.value, cst.Attribute):
            # ``weakref.finalize(request.node, proc.kill)``, ``atexit.register(srv.shutdown)``
            if names_used(node.value.value) & names and (
                node.value.attr.value in methods or is_release_name(node.value)
            ):
                return True
        if not isinstance(node, cst.Call):
            continue
        if isinstance(node.func, cst.Attribute) and names_used(node.func.value) & names:
            if node.func.attr.value in methods or is_release_name(node.func):
                return True
        if imports.qualified_name_of(node.func) in functions:
            if any(names_used(arg.value) & names for arg in node.args):
                return True
    return False


def _passed_on(fixture: Fixture, names: set[str], imports: ImportTable) -> bool:
    """Is it given to a call whose result the fixture keeps (``db = Database(conn)``), or to a
    nested function (a finalizer that ``os.killpg``s it)? Then that code may own its release."""
    for node in walk(fixture.function.body):
        if isinstance(node, (cst.FunctionDef, cst.Lambda)) and node is not fixture.function:
            if names_used(node) & names:
                return True
        if not isinstance(node, cst.SimpleStatementLine):
            continue
        for small in node.body:
            value = small.value if isinstance(small, (cst.Assign, cst.AnnAssign, cst.Return, cst.Expr)) else None
            if value is None:
                continue
            for call in walk(value):
                if isinstance(call, cst.Call) and _owning_call(call, imports) and any(
                    names_used(arg.value) & names for arg in call.args
                ):
                    if not isinstance(small, cst.Expr) or isinstance(value, cst.Yield):
                        return True
    return False


def _owning_call(call: cst.Call, imports: ImportTable) -> bool:
    qualified = imports.qualified_name_of(call.func) or ""
    if dotted_name(call.func) in VALUE_BUILTINS or qualified in _NOT_OWNING:
        return False
    return not qualified.startswith(VALUE_MODULES)


def _used_in_teardown(fixture: Fixture, names: set[str]) -> bool:
    """Any use after a ``yield``: the teardown may release it in a way no table lists."""
    return any(names_used(statement) & names for statement in _teardown(fixture))


def _has_teardown(fixture: Fixture) -> bool:
    return bool(_teardown(fixture))


def _teardown(fixture: Fixture) -> list[cst.BaseStatement]:
    """The statements that come after a ``yield`` in the blocks around it."""
    found: list[cst.BaseStatement] = []
    for located in fixture.yields:
        path = statement_path(located)
        if path is not None:
            for step in path:
                found.extend(step.after)
                statement = step.statement
                if isinstance(statement, (cst.Try, cst.TryStar)):  # ``finally:`` / ``else:`` run after it
                    for part in (statement.orelse, statement.finalbody):
                        if part is not None and isinstance(part.body, cst.IndentedBlock):
                            found.extend(part.body.body)
    return found


def _released_by_requester(context: FileContext, fixture: Fixture) -> bool:
    """Another fixture in the file requests this one and uses its value after its own ``yield``
    or releases it (``def workdir(raw_dir): yield raw_dir; shutil.rmtree(raw_dir)``)."""
    for other in context.fixtures:
        if other is fixture or fixture.name not in other.parameters:
            continue
        if _used_in_teardown(other, {fixture.name}) or handed_elsewhere(other, {fixture.name}):
            return True
    return False


def _handed_out(fixture: Fixture, names: set[str]) -> bool:
    """Is it (or a container holding it) the fixture's value?"""
    return any(
        _exposes(located.node.value, names)  # type: ignore[attr-defined]
        for located in (*fixture.returns, *fixture.yields)
    )


def _exposes(value: cst.BaseExpression | None, names: set[str]) -> bool:
    """``conn``, ``(conn, cursor)``, ``{"db": conn}``; not ``conn.execute(q).fetchone()``."""
    if isinstance(value, cst.Name):
        return value.value in names
    if isinstance(value, (cst.Tuple, cst.List, cst.Set)):
        return any(_exposes(element.value, names) for element in value.elements)
    if isinstance(value, cst.Dict):
        return any(isinstance(element, cst.DictElement) and _exposes(element.value, names)
                   for element in value.elements)
    return False


def _message(fixture: Fixture, acquisition: _Acquisition) -> str:
    kind = acquisition.kind
    call = short_code(acquisition.call)
    if acquisition.names:
        what = f"creates `{acquisition.names[0]}` with `{call}`"
    else:
        verb = "returns" if isinstance(acquisition.direct, cst.Return) else "yields"
        what = f"{verb} `{call}`"
    return (
        f"`{fixture.name}` {what} and nothing ever {kind.verb} the {kind.noun} (no teardown, finalizer "
        f"or `with` does): {kind.effect.format(when=_until(fixture))}"
    )


def _until(fixture: Fixture) -> str:
    """When pytest drops the fixture's value, so the garbage collector may reclaim the resource."""
    if fixture.scope == "function":
        return f" after each test that requests `{fixture.name}`"
    if fixture.scope in ("class", "module", "package"):
        return f" after the last test in the {fixture.scope}"
    if fixture.scope == "session":
        return " at the end of the session"
    return ""


def _fix(context: FileContext, fixture: Fixture, acquisition: _Acquisition) -> Fix | None:
    """``return x`` -> ``yield x`` + the release; or, in a yield fixture, the release appended
    to the teardown. Only for a single ``return``/``yield`` at the top of the body."""
    body = fixture.body
    if body is None or not acquisition.kind.fix or acquisition.rebound:
        return None
    if acquisition.statement is not None and not any(acquisition.statement is stmt for stmt in body):
        return None  # made in a branch or a loop: the release would fail where it was not made
    if acquisition.names and _made_current(fixture, set(acquisition.names)):
        return None
    name = acquisition.names[0] if acquisition.names else _fresh_name(fixture)
    if name is None:
        return None
    releases = _release_statements(acquisition.kind, name, context.imports)
    if releases is None:
        return None
    block = fixture.function.body
    assert isinstance(block, cst.IndentedBlock)
    if fixture.is_generator:
        new_body = _append_to_teardown(fixture, body, acquisition, releases)
    else:
        new_body = _return_to_yield(fixture, body, acquisition, name, releases)
    if new_body is None:
        return None
    annotation = annotation_for_yield(context.module, fixture)
    if annotation is False:
        return None
    new_function = fixture.function.with_changes(body=block.with_changes(body=new_body), returns=annotation)
    action = "Release" if fixture.is_generator else f"Yield `{name}` and release"
    return Fix(
        FixSafety.UNSAFE,
        f"{action} it after the test: `{_code(releases)}`",
        fixture.function,
        new_function,
    )


def _made_current(fixture: Fixture, names: set[str]) -> bool:
    """``asyncio.set_event_loop(loop)``: closing ``loop`` would leave a closed loop current."""
    return any(
        isinstance(node, cst.Call) and (dotted_name(node.func) or "").endswith("set_event_loop")
        and any(names_used(arg.value) & names for arg in node.args)
        for node in walk(fixture.function.body)
    )


def _code(statements: list[cst.BaseStatement]) -> str:
    return "; ".join(short_code(statement) for statement in statements)


def _fresh_name(fixture: Fixture) -> str | None:
    """For ``return open(p)``: the fixture's own name, when nothing in it uses that name."""
    name = fixture.function.name.value
    if name in fixture.parameters or name in names_used(fixture.function.body):
        return None
    return name


def _release_statements(kind: ResourceKind, name: str, imports: ImportTable) -> list[cst.BaseStatement] | None:
    """The kind's release lines for ``name``, spelled with the module names this file imports."""
    lines: list[cst.BaseStatement] = []
    for template in kind.fix:
        text = template.format(name=name)
        if re.match(r"\w+\.", template):  # ``shutil.rmtree({name})``: spelled as this file imports it
            module, _, rest = text.partition(".")
            local = next((local for local, full in imports.names.items()
                          if full == module and local in imports.modules), None)
            if local is None:
                return None  # ``shutil`` is not imported: the fix would need an import
            text = f"{local}.{rest}"
        lines.append(cst.parse_statement(text + "\n"))
    return lines


def _append_to_teardown(
    fixture: Fixture,
    body: list[cst.BaseStatement] | tuple[cst.BaseStatement, ...],
    acquisition: _Acquisition,
    releases: list[cst.BaseStatement],
) -> list[cst.BaseStatement] | None:
    """The release lines after the last statement of a yield fixture whose ``yield`` is a
    statement of the function body."""
    if len(fixture.yields) != 1 or fixture.returns or not acquisition.names:
        return None
    path = statement_path(fixture.yields[0])
    if path is None or len(path) != 1:
        return None  # the yield sits inside a block: where its teardown ends is not one place
    return [*body, *releases]


def _return_to_yield(
    fixture: Fixture,
    body: list[cst.BaseStatement] | tuple[cst.BaseStatement, ...],
    acquisition: _Acquisition,
    name: str,
    releases: list[cst.BaseStatement],
) -> list[cst.BaseStatement] | None:
    """The last statement ``return x`` (or ``return open(p)``) becomes ``[x = open(p)]``,
    ``yield x`` and the release lines."""
    if len(fixture.returns) != 1 or not body:
        return None
    last = body[-1]
    ret = fixture.returns[0].node
    if not (isinstance(last, cst.SimpleStatementLine) and len(last.body) == 1 and last.body[0] is ret):
        return None
    assert isinstance(ret, cst.Return) and ret.value is not None
    if acquisition.names:
        if not (isinstance(ret.value, cst.Name) and ret.value.value in acquisition.names):
            return None
        if ret.value.value not in names_bound(cst.IndentedBlock(body=list(body[:-1]))):
            return None
        head: list[cst.BaseStatement] = []
    else:
        if ret.value is not acquisition.direct.value:  # type: ignore[union-attr]
            return None
        head = [last.with_changes(body=[cst.Assign(targets=[cst.AssignTarget(cst.Name(name))], value=ret.value)])]
    yield_line = cst.SimpleStatementLine(body=[cst.Expr(cst.Yield(value=cst.Name(name)))])
    if not head:  # ``return x`` -> ``yield x`` keeps the line's comments
        yield_line = last.with_changes(body=yield_line.body)
    return [*body[:-1], *head, yield_line, *releases]


RESOURCE_NOT_RELEASED = Rule(
    code="FXL301",
    name="resource-not-released",
    summary="A fixture creates a resource and nothing ever releases it",
    fix=FixSafety.UNSAFE,
    check=check,
    explanation="""\
## What it does
Flags a fixture that creates a known resource and never releases it: no teardown after
`yield`, no finalizer, no `with`, no release call anywhere in the fixture. The resources are
listed in one table:

""" + resource_table() + """

Add your own in `pyproject.toml`; a value is a method name or a dotted function that is given
the resource:

```toml
[tool.fixlint.resources]
"myapp.db.connect" = "close"
"myapp.cluster.start" = ["stop", "myapp.cluster.destroy"]
```

Files, sockets, connections, servers, executors, pools and event loops are flagged when the
fixture hands them to the test (returns or yields them, or a container holding them): one that
is only used inside the fixture is reclaimed as soon as the fixture returns. Processes, started
threads and temporary files and directories are flagged whether handed out or not: the garbage
collector does not stop or remove them. A thread is flagged only when nothing outside the
fixture can stop it: its target is a plain function, a lambda, or a method of a local object
that nothing else holds (`target=server.serve_forever`), not `target=self.dialog.poll`.

Not flagged, because something may release the resource: any release call on it anywhere in
the fixture (also inside a nested finalizer function), a release method handed on as a
callback (`weakref.finalize(request.node, proc.kill)`), `with` or `contextlib.closing` around
it, a finalizer that uses it, storing it on an object, a list or an `ExitStack`, giving it to
a call whose result the fixture keeps (`db = Database(conn)`), any use of it in the teardown
after `yield` (in a `finally:` around the `yield` too), another fixture in the file that
requests this one and uses or releases its value after its own `yield`, and, for threads, any
teardown at all (an event may stop the thread). A process that the fixture `wait()`s for,
`poll()`s or reaps with `os.waitpid` is not reported. Temporary files and directories created
with `dir=` are left alone: they live where their owner (often `tmp_path`) cleans up.

Names are resolved through the file's imports: `sqlite3.connect` counts only when `sqlite3` is
the imported module (not a parameter of that name), and `open` only when the module does not
define its own. A name bound again (`data = data.read()`) no longer holds the resource, so a
file or connection behind it is not reported as handed out.

## Why is this bad?
pytest releases nothing a fixture creates; only the fixture's teardown does. Checked with
pytest 9.2 and `python -X dev`: a function-scoped fixture returning `open(path)` leaves the file
open until pytest drops the test's fixture values, and the garbage collector then warns
`ResourceWarning: unclosed file`; `tempfile.TemporaryDirectory()` warns "Implicitly cleaning
up"; an event loop from `asyncio.new_event_loop()` is reported as unclosed only at the end of
the session; an unclosed `multiprocessing.Pool` warns "unclosed running multiprocessing pool".
A process from `subprocess.Popen` keeps running when its `Popen` object is collected, a started
thread (a server's `serve_forever` loop, say) keeps running through every later test, and a
directory from `tempfile.mkdtemp()` stays on disk after the session, one more for every run. Under `-W error::ResourceWarning` those warnings become
errors in whichever later test happens to trigger the collection.

## Example
```python
@pytest.fixture
def db():
    conn = sqlite3.connect(":memory:")
    conn.execute("create table users (name text)")
    return conn


@pytest.fixture(scope="session")
def workdir():
    return tempfile.mkdtemp()
```

## Use instead
```python
@pytest.fixture
def db():
    conn = sqlite3.connect(":memory:")
    conn.execute("create table users (name text)")
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("work")
```
If setup can fail after the resource is created, put the rest of the setup and the `yield`
in `try:`/`finally:` (FXL201 explains why).

## Fix safety
The fix is unsafe. It turns a fixture whose last statement is `return x` into a yield
fixture that releases `x` after the test (`return open(p)` first binds the value to the
fixture's own name), or appends the release to a yield fixture's teardown when its only
`yield` is a statement of the function body. The release now runs where it did not before:
a test that used the file after the fixture's scope ended, or a process that tests expected
to outlive them, behaves differently, and `wait()` after `terminate()` or `shutdown()` may
block for as long as the resource takes to stop (an asyncio process is terminated only while
its `returncode` is `None`, since its `terminate()` raises once it has exited, and
`shutil.rmtree` gets `ignore_errors=True`, in case a test removed the directory). A `-> T`
return annotation becomes
`-> Iterator[T]` when `Iterator` or `Generator` is imported. No fix is offered for threads
(`join()` on a thread that runs forever would hang), for `mkstemp` and `NamedTemporaryFile`
(the descriptor and the path need separate handling), for `mkdtemp` when `shutil` is not
imported, when the resource is created in a branch or a loop (the release would fail on the
runs that did not create it), for an event loop the fixture makes current with
`asyncio.set_event_loop` (closing it would leave a closed loop current), or when the fixture
has several returns or yields.
""",
)
