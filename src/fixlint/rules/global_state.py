"""FXL303 global-state-not-restored: a fixture changes process-global state and never undoes it.

This module reports; the questions live apart so each reads in one sitting: global_writes.py
(what counts as a change), global_restores.py (which changes nothing undoes) and
global_state_fix.py (the fixes).
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from fixlint.cst_util import code_of, short_code
from fixlint.imports import ImportTable
from fixlint.model import Fixture
from fixlint.rules.base import FileContext, Finding, FixSafety, Rule
from fixlint.rules.global_restores import (
    assigned_name,
    mentions,
    never_undone,
    opaque_finalizer,
    scan_fixture,
    unrestored,
)
from fixlint.rules.global_state_fix import rewrite_fix, undo_fix
from fixlint.rules.global_writes import ATTR, CWD, ENV, MODULES, PATH, Write

_SCOPE_REACH = {
    "class": "every test after the class that uses it",
    "module": "every test in later modules",
    "package": "every test in later packages",
}
_NOUNS = {ENV: "the environment", CWD: "the working directory", PATH: "`sys.path`",
          MODULES: "`sys.modules`", ATTR: "the attribute"}


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        if fixture.scope is None or (fixture.scope == "session" and fixture.autouse):
            continue  # unknown scope, or a change meant for the whole session
        if fixture.body is not None:
            yield from _check_fixture(fixture, context)


def _check_fixture(fixture: Fixture, context: FileContext) -> Iterator[Finding]:
    scan = scan_fixture(fixture, context.imports)
    imports = scan.imports
    leaks = [] if opaque_finalizer(fixture) else unrestored(scan, imports)
    leaks = [write for write in leaks if not _undone_outside(write, fixture, context, imports)]
    patchers = [located for located in scan.patchers if never_undone(located, fixture)]
    fix = None
    if leaks and not patchers:
        fix = rewrite_fix(fixture, imports, scan, leaks)
    elif len(patchers) == 1 and not leaks:
        fix = undo_fix(fixture, patchers[0])
    reach, suffix = _reach(fixture)
    reported: set[int] = set()
    for write in leaks:
        if id(write.node) in reported:
            continue  # ``cfg.x, cfg.y = 1, 2``: one finding per statement
        reported.add(id(write.node))
        noun = _NOUNS[write.target.family] if write.verb.startswith("calls") else "it"
        yield GLOBAL_STATE_NOT_RESTORED.finding(
            write.node,
            f"`{fixture.name}` {write.verb} and never restores {noun}: {reach} {write.effect}{suffix}",
            fix,
        )
    for located in patchers:
        name = assigned_name(located)
        made = f"`{name} = {short_code(located.node)}`" if name else f"`{short_code(located.node)}`"
        undo = f"`{name}.undo()`" if name else "its `undo()`"
        yield GLOBAL_STATE_NOT_RESTORED.finding(
            located.node,
            f"`{fixture.name}` creates {made} and never calls {undo}: {reach} keeps every change "
            f"made through it{suffix}",
            fix,
        )


# ``pytester`` / ``testdir`` snapshot and restore the working directory, sys.path and sys.modules.
_SNAPSHOTTING_FIXTURES = frozenset({"pytester", "testdir"})
_SNAPSHOTTED = frozenset({CWD, PATH, MODULES})
# xunit-style teardowns that run after the tests of a class or module, or after each test.
_XUNIT_TEARDOWNS = frozenset({
    "teardown_method", "teardown_function", "teardown_class", "teardown_module", "teardown",
    "tearDown", "tearDownClass", "tearDownModule",
})


def _undone_outside(write: Write, fixture: Fixture, context: FileContext, imports: ImportTable) -> bool:
    """Is the change undone by code outside the fixture that runs after it: ``pytester`` (which it
    requests), a fixture of this file it requests (torn down after it), or an xunit teardown of
    its class or module that mentions the same state?"""
    if write.target.family in _SNAPSHOTTED and _SNAPSHOTTING_FIXTURES & set(fixture.parameters):
        return True
    if write.kind == "delete" and write.target.family == ATTR and _tolerates_missing(write):
        return True  # ``try: del settings.cache except AttributeError``: a cache reset, recomputed on use
    return any(mentions(body, write.target, imports) for body in _teardowns_around(fixture, context))


def _tolerates_missing(write: Write) -> bool:
    """Is the delete inside ``try: ... except AttributeError`` or ``with suppress(AttributeError)``?"""
    for node in write.located.ancestors if write.located else ():
        if isinstance(node, cst.Try) and any(
            handler.type is not None and "AttributeError" in code_of(handler.type) for handler in node.handlers
        ):
            return True
        if isinstance(node, cst.With) and any("AttributeError" in code_of(item.item) for item in node.items):
            return True
    return False


def _teardowns_around(fixture: Fixture, context: FileContext) -> Iterator[cst.CSTNode]:
    for other in context.fixtures:
        if other.name in fixture.parameters and other is not fixture and other.is_generator:
            yield other.function.body
    statements: list[cst.CSTNode] = list(context.module.body)
    for statement in context.module.body:
        if isinstance(statement, cst.ClassDef) and statement.name.value == fixture.class_name:
            statements.extend(statement.body.body if isinstance(statement.body, cst.IndentedBlock) else ())
    for statement in statements:
        if isinstance(statement, cst.FunctionDef) and statement.name.value in _XUNIT_TEARDOWNS:
            yield statement.body


def _reach(fixture: Fixture) -> tuple[str, str]:
    """Which later tests see the change, and the note that they need not request the fixture."""
    never = f", including tests that never request `{fixture.name}`"
    if fixture.scope == "session":
        return f"every test after the first one that requests `{fixture.name}`", never
    if fixture.scope in _SCOPE_REACH:
        return _SCOPE_REACH[fixture.scope], ""
    return "every later test in this process", never


GLOBAL_STATE_NOT_RESTORED = Rule(
    code="FXL303",
    name="global-state-not-restored",
    summary="A fixture changes process-global state and never restores it",
    fix=FixSafety.UNSAFE,
    check=check,
    explanation="""\
## What it does
Flags a fixture that changes state the whole test process shares and never changes it back:

- the environment: `os.environ[k] = v`, `del os.environ[k]`, `os.environ.update(...)` (and
  `pop`, `setdefault`, `clear`), `os.putenv`, `os.unsetenv`;
- the working directory: `os.chdir(path)`;
- imports: `sys.path.insert/append/extend(...)` or assigning `sys.path`, `sys.modules[k] = m`,
  `sys.modules.pop(k)`, `del sys.modules[k]`;
- attributes of imported names: `settings.DEBUG = True`, `mymod.TIMEOUT = 1`,
  `setattr(mymod, "TIMEOUT", 1)`, `del mymod.TIMEOUT`;
- a `pytest.MonkeyPatch()` created in the fixture whose `undo()` nobody calls.

Import aliases are followed (`from os import environ`, `import os as _os`). One finding is
reported per changing statement.

Not flagged: changes that something undoes, read generously: a later write to the same
target (in the teardown after `yield`, a `finally`, a finalizer or a nested function), a
delete of what the fixture itself set earlier, a saved copy written back (`os.chdir(old)`,
`sys.path[:] = saved`, `os.environ["TZ"] = old_tz`) or handed to a teardown call, a teardown
call named like an undo (`reset_settings()`, `restore()`, `cleanup()`, `importlib.reload(mod)`),
a writer handed on to run later (`stack.callback(os.chdir, old)`), a finalizer whose code is
not visible, or a `with` around the change that names the same object or says it saves that
state (`with mock.patch.dict(os.environ): ...`, `with preserved_environ(): ...`). Changes made
through the `monkeypatch` fixture or `MonkeyPatch.context()` are not direct writes and are
never flagged. Writes to local copies (`env = os.environ.copy(); env["X"] = "1"`), to
fixture parameters or to `self` are not global. A `MonkeyPatch()` the fixture yields, returns,
stores or passes on may be undone by whoever receives it. A fixture with `scope="session"`
and `autouse=True` is meant to change the whole session and is not flagged; neither is a
fixture whose scope is not a literal.

Code outside the fixture that runs after it counts too: the teardown of a fixture of the same
file that it requests (torn down after it), an xunit teardown of its class or module
(`teardown_method`, `tearDown`, `teardown_module`, ...) that mentions the same state, and
`pytester` / `testdir` when it requests them (they snapshot and restore the working directory,
`sys.path` and `sys.modules`). Deleting an attribute under `except AttributeError` or
`suppress(AttributeError)` is a cache reset (a `cached_property` is computed again on the next
access) and is not flagged. Restores in a `conftest.py` (an autouse fixture that saves and
restores the environment) are not seen yet: `# noqa: FXL303` on such a suite's fixtures.

## Why is this bad?
The process outlives the fixture. When a function-scoped fixture sets `os.environ["TZ"]`,
every test that runs after it in the same process (the same xdist worker) sees `TZ` set,
including tests in other modules that never requested the fixture: their outcome now depends
on test order. A module- or class-scoped fixture is torn down after its last test, but
without an undo its change stays for every test after that. This was checked by running
pytest 9.2: a later module's test sees the variable set by a function-scoped fixture it never
requested, and the directory a module-scoped fixture changed into.

`os.putenv` is worse than it looks: it changes the C-level environment that child processes
inherit, but not `os.environ` (checked: `os.environ` does not show the variable, a child
started afterwards does), so the Python code that would normally notice it cannot.

`pytest.MonkeyPatch()` outside the `monkeypatch` fixture undoes nothing by itself: its changes
stay until someone calls `undo()` (checked: a later test sees a variable set through an
instance the fixture never undid).

## Example
```python
@pytest.fixture
def utc():
    os.environ["TZ"] = "UTC"
    time.tzset()


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("plugins")
    sys.path.insert(0, str(path))
    yield path
```

## Use instead
```python
@pytest.fixture
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("plugins")
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(path))
        yield path
```
Saving the old value and restoring it after `yield` (in a `finally` when setup can fail
after the change) works too. The `monkeypatch` fixture is function-scoped, so a broader
fixture cannot request it (ScopeMismatch): use `pytest.MonkeyPatch.context()` there.

## Fix safety
The fix is unsafe: it undoes the change after the fixture's tests, so later tests that
(knowingly or not) relied on the leaked state behave differently. It is offered only when
every unrestored change in the fixture has a `monkeypatch` equivalent and nothing else in the
fixture touches the same state:

- function scope: each change becomes a `monkeypatch` call and the fixture requests
  `monkeypatch` (added as its last parameter): `os.environ[k] = v` -> `setenv(k, v)`,
  `del os.environ[k]` / `os.environ.pop(k)` -> `delenv(k)` (`pop(k, default)` ->
  `delenv(k, raising=False)`), `os.environ.update({...})` with plain keys and values -> one
  `setenv` each, `os.chdir(p)` -> `chdir(p)`, `sys.path.insert(0, p)` -> `syspath_prepend(p)`,
  `sys.modules[k] = m` -> `setitem(sys.modules, k, m)`, `sys.modules.pop(k)` / `del` ->
  `delitem(sys.modules, k)`, `mod.attr = v` / `setattr(mod, "attr", v)` ->
  `setattr(mod, "attr", v, raising=False)`, `del mod.attr` / `delattr(...)` ->
  `delattr(mod, "attr")`.
  The `monkeypatch` fixture is torn down after the fixture that requests it, so the
  fixture's own teardown still sees its changes.
- broader scopes (generator fixtures with one `yield`): the statements from the first change
  through the end of the fixture move into `with pytest.MonkeyPatch.context() as mp:` and the
  changes go through `mp`, so every teardown step still runs before the changes are undone
  (using the name `pytest` is imported as; no fix when it is not imported as a module or `mp`
  is taken).
- a `MonkeyPatch()` never undone: `mp.undo()` is added as the last teardown statement, and a
  final `return x` becomes `yield x` (only when the instance and the `yield`/`return` are in
  the fixture's own body, and the function has no return annotation to update).

What the `monkeypatch` methods do differently (pytest 9.2 source): `setenv` converts a non-`str`
value with `str()` and warns, where `os.environ` raised `TypeError`; `syspath_prepend` inserts
`str(p)` (a `pathlib.Path` on `sys.path` is ignored by the import system, its string is not),
calls `importlib.invalidate_caches()` and fixes up `pkg_resources` namespace packages when
`pkg_resources` is imported; `monkeypatch.setattr` raises `AttributeError` when the attribute
does not exist yet, where plain assignment creates it, so the fix passes `raising=False` (undo
then deletes the attribute again); and undo restores attributes from the instance's own
`__dict__`. If a test also uses `monkeypatch` and calls `monkeypatch.undo()`, it now undoes
the fixture's changes too (the fixture and the test share one instance). A multi-line call
rewritten by the fix is printed on one line.
""",
)
