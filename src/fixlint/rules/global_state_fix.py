"""FXL303's fixes: undo a ``pytest.MonkeyPatch()`` nobody undoes, or make the changes through
``monkeypatch`` (function scope) or ``pytest.MonkeyPatch.context()`` (broader scopes), which
undo them after the fixture's tests.
"""

from __future__ import annotations

import libcst as cst

from fixlint.cst_util import all_params, lift_blank_lines, names_bound, names_used
from fixlint.imports import ImportTable
from fixlint.model import Fixture, Located, statement_path
from fixlint.rules.base import Fix, FixSafety
from fixlint.rules.global_restores import Scan, assigned_name
from fixlint.rules.global_writes import Write


# ------------------------------------------------------------------ pytest.MonkeyPatch()


def undo_fix(fixture: Fixture, located: Located) -> Fix | None:
    """Add ``mp.undo()`` as the last teardown step; a final ``return x`` becomes ``yield x``.
    Only for the plain shape: the ``MonkeyPatch`` and the one ``yield``/``return`` both in the
    function's own body, so the undo surely runs after every use."""
    name = assigned_name(located)
    made = statement_path(located)
    block = fixture.function.body
    if name is None or made is None or len(made) != 1 or not isinstance(block, cst.IndentedBlock):
        return None
    undo = cst.SimpleStatementLine(body=[cst.Expr(_method_call(name, "undo", []))])
    if fixture.yields and not fixture.returns:
        path = statement_path(fixture.yields[0]) if len(fixture.yields) == 1 else None
        if path is None or len(path) != 1 or path[0].index < made[0].index:
            return None
        return Fix(FixSafety.UNSAFE, f"Call `{name}.undo()` at the end of the teardown",
                   block, block.with_changes(body=[*block.body, undo]))
    last = block.body[-1]
    if fixture.yields or len(fixture.returns) != 1 or fixture.function.returns is not None:
        return None
    returned = fixture.returns[0].node
    if not isinstance(last, cst.SimpleStatementLine) or len(last.body) != 1 or last.body[0] is not returned:
        return None
    assert isinstance(returned, cst.Return)
    yielded = last.with_changes(body=[cst.Expr(cst.Yield(value=returned.value))])
    return Fix(FixSafety.UNSAFE, f"Yield instead of returning, then call `{name}.undo()`",
               block, block.with_changes(body=[*block.body[:-1], yielded, undo]))


# ------------------------------------------------------------------ the monkeypatch rewrite


def rewrite_fix(fixture: Fixture, imports: ImportTable, scan: Scan, leaks: list[Write]) -> Fix | None:
    """Make every unrestored change through monkeypatch, when each has an exact equivalent and
    nothing else in the fixture touches the same state."""
    if any(write.plan is None or write.nested for write in leaks):
        return None
    if any(len(write.plan or ()) > 1 and _in_one_line_suite(write) for write in leaks):
        return None  # ``if x: os.environ.update(...)`` cannot become several statements
    if any(write not in leaks and any(write.target.same_as(leak.target) for leak in leaks)
           for write in scan.writes):
        return None
    if fixture.scope == "function":
        return _function_scope_fix(fixture, leaks)
    return _context_fix(fixture, imports, leaks)


def _in_one_line_suite(write: Write) -> bool:
    assert write.located is not None
    return any(isinstance(node, cst.SimpleStatementSuite) for node in write.located.ancestors)


def _method_call(receiver: str, method: str, args: list[cst.Arg]) -> cst.Call:
    return cst.Call(func=cst.Attribute(value=cst.Name(receiver), attr=cst.Name(method)), args=args)


class _Rewriter(cst.CSTTransformer):
    """Replaces each change (by identity) with its monkeypatch calls."""

    def __init__(self, leaks: list[Write], receiver: str) -> None:
        self.plans = {id(write.node): write.plan for write in leaks}
        self.receiver = receiver

    def _calls(self, small: cst.BaseSmallStatement) -> list[cst.BaseSmallStatement] | None:
        plan = self.plans.get(id(small.value if isinstance(small, cst.Expr) else small))
        if plan is None:
            return None
        return [cst.Expr(_method_call(self.receiver, method, args)) for method, args in plan]

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        calls = self._calls(original.body[0])
        if calls is None:
            return updated
        first, *rest = calls  # comments above and beside the statement stay with the first call
        if not rest:
            return updated.with_changes(body=[first])
        return cst.FlattenSentinel([updated.with_changes(body=[first]),
                                    *(cst.SimpleStatementLine(body=[call]) for call in rest)])

    def leave_SimpleStatementSuite(
        self, original: cst.SimpleStatementSuite, updated: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        calls = self._calls(original.body[0])
        return updated if calls is None else updated.with_changes(body=calls)


def _function_scope_fix(fixture: Fixture, leaks: list[Write]) -> Fix | None:
    """``os.environ[k] = v`` -> ``monkeypatch.setenv(k, v)``, requesting ``monkeypatch``."""
    function = fixture.function
    requested = any(param.name.value == "monkeypatch" for param in all_params(function.params))
    if fixture.name == "monkeypatch":
        return None  # an override of the fixture itself cannot request it the same way
    if not requested and (
        "monkeypatch" in names_used(function) | names_bound(function.body) or not _can_append(function.params)
    ):
        return None
    new = function.with_changes(body=function.body.visit(_Rewriter(leaks, "monkeypatch")))
    if not requested:
        new = new.with_changes(params=_append_param(function, "monkeypatch"))
    return Fix(FixSafety.UNSAFE, "Make the changes through the `monkeypatch` fixture, which undoes them",
               function, new)


def _can_append(params: cst.Parameters) -> bool:
    """A plain parameter can go last: no ``*args``/keyword-only/``**kwargs`` and no defaults."""
    if params.star_arg is not cst.MaybeSentinel.DEFAULT or params.kwonly_params or params.star_kwarg:
        return False
    return all(param.default is None for param in (*params.posonly_params, *params.params))


def _append_param(function: cst.FunctionDef, name: str) -> cst.Parameters:
    params = function.params
    existing = list(params.params)
    new = cst.Param(name=cst.Name(name))
    if existing and isinstance(existing[-1].comma, cst.Comma):
        # One parameter per line with a trailing comma: the new one takes over the last comma.
        last = existing[-1]
        before = function.whitespace_before_params
        after = before if isinstance(before, cst.ParenthesizedWhitespace) else cst.SimpleWhitespace(" ")
        existing[-1] = last.with_changes(comma=cst.Comma(whitespace_after=after))
        new = new.with_changes(comma=last.comma)
    return params.with_changes(params=[*existing, new])


def _context_fix(fixture: Fixture, imports: ImportTable, leaks: list[Write]) -> Fix | None:
    """Broader scopes: ``with pytest.MonkeyPatch.context() as mp:`` around the ``yield``, the
    changes made through ``mp``."""
    function = fixture.function
    pytest_name = next((local for local, qualified in imports.names.items()
                        if qualified == "pytest" and local in imports.modules), None)
    taken = names_used(function) | names_bound(function.body)
    taken |= {param.name.value for param in all_params(function.params)}
    if pytest_name is None or "mp" in taken or len(fixture.yields) != 1 or fixture.returns:
        return None
    # From the first change's statement through the end of the function, so every teardown
    # step still runs before the context undoes the changes, as it does today.
    block = function.body
    paths = [statement_path(write.located) if write.located else None for write in leaks]
    if not isinstance(block, cst.IndentedBlock) or any(not path for path in paths):
        return None
    start = min(path[0].index for path in paths if path)
    region = cst.IndentedBlock(body=block.body[start:]).visit(_Rewriter(leaks, "mp"))
    lines, moved = lift_blank_lines(list(region.body))  # type: ignore[attr-defined]
    monkeypatch_class = cst.Attribute(value=cst.Name(pytest_name), attr=cst.Name("MonkeyPatch"))
    context = cst.Call(func=cst.Attribute(value=monkeypatch_class, attr=cst.Name("context")))
    wrapped = cst.With(
        items=[cst.WithItem(item=context, asname=cst.AsName(name=cst.Name("mp")))],
        body=cst.IndentedBlock(body=moved),
        leading_lines=lines,
    )
    title = f"Make the changes inside `with {pytest_name}.MonkeyPatch.context() as mp:` around the `yield`"
    return Fix(FixSafety.UNSAFE, title, block, block.with_changes(body=[*block.body[:start], wrapped]))
