"""FXL105 node-finalizer-in-fixture: a parametrized broad fixture finalizes on ``request.node``.

``request.node`` in a class/module/package/session fixture is the collection node of that scope
(the test class, the module, the package, the session), which outlives every param of the fixture.
A finalizer registered there runs when that node finishes, not when pytest moves the fixture to
its next param; ``request.addfinalizer`` ties it to the fixture instance instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath

import libcst as cst

from fixlint.cst_util import dotted_name, short_code, walk
from fixlint.model import Finalizer, Fixture, class_scope_is_shared
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule

# What ``request.node`` is, by the fixture's scope, and when its finalizers run.
_NODE_OF_SCOPE = {
    "class": ("the test class", "the class finishes"),
    "module": ("the module", "the module finishes"),
    "package": ("the package", "the package finishes"),
    "session": ("the session", "the whole test run ends"),
}


def check(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        on_node = [finalizer for finalizer in fixture.finalizers if finalizer.receiver == "request.node"]
        if not on_node or fixture.scope not in _NODE_OF_SCOPE or not _parametrized(fixture, context):
            continue
        if fixture.scope == "class" and not class_scope_is_shared(fixture, context):
            continue
        for finalizer in on_node:
            yield _finding(fixture, finalizer)


def _parametrized(fixture: Fixture, context: FileContext) -> bool:
    """``params=`` on the decorator, or ``request.param`` read in the body (indirect parametrization).

    ``getattr(request, "param", 8000)`` / ``hasattr(request, "param")`` make the param optional:
    the fixture may well run with one instance only. Outside a conftest.py (whose users are in
    other files) it counts only when this file parametrizes the fixture with ``indirect``."""
    if fixture.has_params:
        return True
    direct = optional = False
    for node in walk(fixture.function.body, enter_scopes=True):
        if isinstance(node, cst.Attribute) and node.attr.value == "param":
            direct = direct or dotted_name(node.value) == "request"
        elif _reads_param_dynamically(node):
            optional = True
    if not optional:
        return direct
    if PurePath(context.path).name == "conftest.py":
        return True
    text = context.text
    return "indirect" in text and any(quoted in text for quoted in (f'"{fixture.name}"', f"'{fixture.name}'"))


def _reads_param_dynamically(node: cst.CSTNode) -> bool:
    if not isinstance(node, cst.Call) or dotted_name(node.func) not in ("getattr", "hasattr"):
        return False
    if len(node.args) < 2 or dotted_name(node.args[0].value) != "request":
        return False
    name = node.args[1].value
    return isinstance(name, cst.SimpleString) and name.evaluated_value == "param"


def _finding(fixture: Fixture, finalizer: Finalizer) -> Finding:
    node_name, finishes = _NODE_OF_SCOPE[fixture.scope or ""]
    how = "is parametrized" if fixture.has_params else "is parametrized indirectly (it reads `request.param`)"
    what = "its finalizer" if finalizer.argument is None else f"`{short_code(finalizer.argument, 40)}`"
    message = (
        f"`{fixture.name}` ({fixture.scope} scope) {how} but registers {what} on `request.node` "
        f"({node_name}): when `{fixture.name}` moves to its next param, it does not run for the old "
        f"instance; it runs only when {finishes}"
    )
    return NODE_FINALIZER_IN_FIXTURE.finding(finalizer.call.node, message, _fix(finalizer))


def _fix(finalizer: Finalizer) -> Fix | None:
    call = finalizer.call.node
    assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
    receiver = call.func.value
    if not isinstance(receiver, cst.Attribute):
        return None
    # Keep any parentheses written around ``request.node``.
    new = cst.Name("request", lpar=receiver.lpar, rpar=receiver.rpar)
    return Fix(
        FixSafety.UNSAFE,
        "Register the finalizer with `request.addfinalizer`, on the fixture instance",
        receiver,
        new,
    )


NODE_FINALIZER_IN_FIXTURE = Rule(
    code="FXL105",
    name="node-finalizer-in-fixture",
    summary="A parametrized fixture registers its finalizer on `request.node`",
    fix=FixSafety.UNSAFE,
    check=check,
    explanation="""\
## What it does
Flags `request.node.addfinalizer(...)` in a fixture whose scope is `class`, `module`, `package`
or `session` and that is parametrized: it has `params=`, or it reads `request.param` (also
through `getattr(request, "param", ...)` or `hasattr(request, "param")`), which means tests
parametrize it indirectly (`@pytest.mark.parametrize("srv", [...], indirect=True)`).

Function-scoped fixtures are not flagged: there `request.node` is the test item, so its
finalizers run right after the test. A class-scoped fixture outside a class and a `conftest.py`
is flagged only when a class of its file requests it (a parameter, `usefixtures`, or autouse):
test functions outside a class get their own instance, and `request.node` is the test. A param
read with a default (`getattr(request, "param", 8000)`, or behind `hasattr`) is optional; outside
a `conftest.py` it counts only when the file parametrizes the fixture with `indirect`.

## Why is this bad?
`request.node` is the collection node of the fixture's scope: the test class, the module, the
package or the session. It outlives every param of the fixture. When pytest moves a
parametrized fixture to its next param it tears down the old instance by running the finalizers
registered with `request.addfinalizer`, but the ones registered on `request.node` wait until
that node finishes. Checked with pytest 9.2: a module-scoped fixture with `params=["a", "b"]`
logged `setup a`, `setup b` and only then, after the last test of the module, the node
finalizers (in reverse order); `request.addfinalizer` ran `a`'s finalizer before `b` was set up.
The same holds for `class` (until the class finishes), `package` and `session` scope, and for
indirect parametrization. So the old server, connection or temporary database stays alive while
the next one is set up: ports and files collide, and state leaks between params.

## Example
```python
@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def db(request):
    engine = create_engine(request.param)
    request.node.addfinalizer(engine.dispose)  # runs only when the module finishes
    return engine
```

## Use instead
```python
@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def db(request):
    engine = create_engine(request.param)
    request.addfinalizer(engine.dispose)  # runs before the next param is set up
    return engine
```
A yield fixture (`yield engine` then `engine.dispose()`) is torn down at the same point.

## Fix safety
The fix replaces `request.node.addfinalizer` with `request.addfinalizer`. It is unsafe: the
finalizer now runs earlier, before the next param is set up instead of at the end of the scope,
and a finalizer that was meant to run once the whole class or module is done (writing a report
over all params, say) would now run once per param.
""",
)
