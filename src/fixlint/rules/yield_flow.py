"""The flow analysis behind FXL203, FXL204 and FXL205: which ``yield`` ran on each path.

``YieldFlow`` follows a generator fixture's body the way Python runs it (branches, loops,
``break``/``continue``, ``return``, ``raise``, ``try``/``except``) and tracks, for each class
of paths, which ``yield`` ran last. It stays precise by separating what is certain from what
merely looks possible:

- a second ``yield`` is certain when it follows a first one with no decision in between, when
  every path that reaches it has yielded already, or when a loop comes back to it with no
  decision on the way (see ``second_pass``); two yields under separate ``if`` statements whose
  conditions may exclude each other are not;
- a path that ends without yielding counts only when it is written out (a ``return``, an
  ``else:`` or ``except`` branch, an ``if`` without ``else``), not when it needs a loop to run
  out of items, an ``if``/``elif`` dispatch on ``request.param`` (or another fixture) to miss
  every branch, or a helper function that may never return.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst

from fixlint.cst_util import assigned_names, dotted_name, names_used, short_code, strip_await, walk
from fixlint.fallible import HARMLESS_BUILTINS, NO_RETURN_CALLS, OUTCOME_CALLS, may_raise
from fixlint.imports import ImportTable
from fixlint.model import Fixture

# pytest's outcome functions: each has an ``.Exception`` attribute (``pytest.skip.Exception``),
# a BaseException subclass that ``except Exception`` does not catch.
# Methods that never return when called on ``self`` in unittest-style classes (``self.skipTest()``).
NO_RETURN_SELF_METHODS = frozenset({"skipTest", "fail"})
# Exception types that are not ``Exception`` subclasses: pytest's outcomes, cancellation, exit.
BASE_ONLY_EXCEPTIONS = frozenset(
    {
        "BaseException", "GeneratorExit", "KeyboardInterrupt", "SystemExit", "BaseExceptionGroup",
        "CancelledError", "Cancelled", "OutcomeException", "Skipped", "Failed", "XFailed", "Exit",
    }
)
MAX_LOOP_PASSES = 20


# ---------------------------------------------------------------- exception handler kinds


def catches_ordinary_exceptions(handler: cst.ExceptHandler, imports: ImportTable) -> bool:
    """``except ValueError:`` / ``except (OSError, db.Error):``: only ``Exception`` subclasses.

    Not: a bare ``except:``, ``BaseException``, ``GeneratorExit``, cancellation or pytest's
    outcome exceptions (``pytest.skip.Exception``), nor a type we cannot read (a call).
    """
    if handler.type is None:
        return False
    types = [element.value for element in handler.type.elements] if isinstance(
        handler.type, cst.Tuple) else [handler.type]
    for node in types:
        written = dotted_name(node)
        if written is None:
            return False
        qualified = imports.qualify(written)
        owner, _, last = qualified.rpartition(".")
        if last in BASE_ONLY_EXCEPTIONS or (last == "Exception" and owner in OUTCOME_CALLS):
            return False
    return True


def _stops_every_error(handler: cst.ExceptHandler, imports: ImportTable) -> bool:
    """Is this handler the last one an error can reach (``except:``, ``except Exception:``,
    ``except BaseException:``), so that handlers further out never see it?"""
    if handler.type is None:
        return True
    written = dotted_name(handler.type)
    return written is not None and imports.qualify(written) in ("Exception", "BaseException")


def _catches_outcomes(handler: cst.ExceptHandler, imports: ImportTable) -> bool:
    """Does the handler catch pytest's skip/fail outcomes (BaseException subclasses)?"""
    return handler.type is None or not catches_ordinary_exceptions(handler, imports)


# ---------------------------------------------------------------- the flow analysis


@dataclass(frozen=True)
class Token:
    """A class of paths through the fixture body, as far as yields are concerned.

    A token is of one of two kinds, told apart by ``last_yield``:

    - *yielded* (``last_yield`` is a ``yield``): these paths ran that yield most recently.
      Only ``fresh`` means anything; every other field keeps its default.
      ``fresh``: no decision was taken since ``last_yield`` ran (no branch chosen, no loop
      run out, no handler entered), so reaching the current point from it is certain.
      Going round a loop that ``second_pass`` expects to come round is not a decision.
    - *yield-less* (``last_yield`` is None): these paths have not yielded yet. ``fresh`` is
      always False; the other fields describe how such a path would finish the generator:
      ``doubtful``: the path may not exist (it needs a loop to run dry, or an ``if``/``match``
      dispatch on a fixture value to miss every branch);
      ``tail_call``: the last statement run was a call to a function fixlint cannot see
      (``require_docker()``), which may skip or raise rather than return;
      ``handler``: the ``except`` handler of a ``try`` around a yield that the path entered;
      ``why`` / ``where``: the decision that steered the path away from every yield, in words
      and as the node to report it at (None when no single decision did).

    ``key`` is the identity of a path class: tokens with the same key are merged, keeping the
    first ``why``/``where`` (they only explain, they do not change what happens next).
    """

    last_yield: cst.Yield | None
    fresh: bool = False
    doubtful: bool = False
    tail_call: bool = False
    handler: cst.ExceptHandler | None = None
    why: str | None = None
    where: cst.CSTNode | None = None

    @property
    def key(self) -> tuple[object, ...]:
        return (self.last_yield, self.fresh, self.doubtful, self.tail_call, self.handler)


# The path classes that can be at one point of the body, by ``Token.key``.
State = dict[tuple[object, ...], Token]


def _join(states: Iterable[State]) -> State:
    merged: State = {}
    for state in states:
        for key, token in state.items():
            merged.setdefault(key, token)
    return merged


def _map(state: State, change: Callable[[Token], Token]) -> State:
    return _join([{token.key: token} for token in (change(t) for t in state.values())])


def _not_yet(state: State, change: Callable[[Token], Token]) -> State:
    """Apply ``change`` to the yield-less tokens only."""
    return _map(state, lambda token: change(token) if token.last_yield is None else token)


@dataclass
class _Loop:
    items: frozenset[str] = frozenset()  # the names a ``for`` binds to each item
    breaks: list[State] = field(default_factory=list)
    continues: list[State] = field(default_factory=list)


@dataclass
class _Try:
    node: cst.Try | cst.TryStar
    edges: list[tuple[State, cst.CSTNode]] = field(default_factory=list)


Loop = cst.For | cst.While


class YieldFlow:
    """Runs the fixture body abstractly; see the module docstring for what it records.

    ``generators`` names the generator functions the file defines (``helper``, ``self.helper``):
    a ``for`` loop over one of them delegates to it (see ``second_pass``).
    """

    def __init__(self, fixture: Fixture, imports: ImportTable, generators: Collection[str] = ()) -> None:
        self.fixture = fixture
        self.imports = imports
        self.generators = generators
        self.dispatch_names = set(fixture.parameters) | {"request"}
        self.incoming: dict[cst.Yield, State] = {}  # every path class that reached each yield
        self.returns: list[tuple[cst.Return, State]] = []
        # A yield whose paths reach the end of a pass with no decision, in a loop that comes
        # round (``second_pass``) -> the innermost such loop; and every loop's own yields.
        self.repeats: dict[cst.Yield, Loop] = {}
        self.loop_yields: dict[Loop, frozenset[cst.Yield]] = {}
        self.understood = True  # False when the body holds a construct the analysis does not model
        self._loops: list[_Loop] = []
        self._tries: list[_Try] = []
        self.end: State = self._block(fixture.function.body, {Token(None).key: Token(None)})

    # -- what the rules ask

    def finishing_paths(self) -> Iterator[tuple[cst.Return | None, Token]]:
        """Yield-less path classes that finish the generator: at a ``return`` or at the end."""
        for node, state in self.returns:
            for token in state.values():
                if token.last_yield is None:
                    yield node, token
        for token in self.end.values():
            if token.last_yield is None:
                yield None, token

    def came_round(self, token: Token, node: cst.Yield) -> Loop | None:
        """The loop that brought ``token`` back to ``node`` with no decision on the way."""
        if not token.fresh or token.last_yield is None:
            return None
        loop = self.repeats.get(token.last_yield)
        return loop if loop is not None and node in self.loop_yields[loop] else None

    # -- statements

    def _block(self, suite: cst.BaseSuite, state: State) -> State:
        if isinstance(suite, cst.SimpleStatementSuite):
            for small in suite.body:
                state = self._small(small, state)
            return state
        assert isinstance(suite, cst.IndentedBlock)
        for statement in suite.body:
            state = self._statement(statement, state)
        return state

    def _statement(self, stmt: cst.BaseStatement, state: State) -> State:
        if not state:
            return state  # unreachable
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                state = self._small(small, state)
            return state
        if isinstance(stmt, cst.If):
            return self._if(stmt, state)
        if isinstance(stmt, (cst.For, cst.While)):
            return self._loop(stmt, state)
        if isinstance(stmt, (cst.Try, cst.TryStar)):
            return self._try(stmt, state)
        if isinstance(stmt, cst.With):
            if any(may_raise(item.item) for item in stmt.items):
                self._raise_from(state, stmt)
            return self._block(stmt.body, state)
        if isinstance(stmt, cst.Match):
            return self._match(stmt, state)
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            return state
        self.understood = False
        return state

    def _small(self, small: cst.BaseSmallStatement, state: State) -> State:
        if not state:
            return state
        if isinstance(small, cst.Return):
            state = self._expression_with_yields(small, small.value, state)
            self.returns.append((small, state))
            return {}
        if isinstance(small, cst.Raise) or _asserts_false(small):
            self._raise_from(state, small)
            return {}
        if isinstance(small, (cst.Break, cst.Continue)):
            if self._loops:
                loop = self._loops[-1]
                (loop.breaks if isinstance(small, cst.Break) else loop.continues).append(state)
            return {}
        if self._never_returns(small):
            self._raise_from(state, small, outcome=True)
            return {}
        value = small.value if isinstance(small, (cst.Expr, cst.Assign, cst.AnnAssign)) else None
        state = self._expression_with_yields(small, value, state)
        unknown_call = self._calls_unknown_function(small)
        return _not_yet(state, lambda token: replace(token, tail_call=unknown_call))

    def _expression_with_yields(
        self, small: cst.CSTNode, value: cst.BaseExpression | None, state: State
    ) -> State:
        """Run a simple statement that may hold yields: exceptions before and after them."""
        yields = [node for node in walk(small) if isinstance(node, cst.Yield)]
        if isinstance(value, cst.Yield):
            # ``yield x`` / ``y = yield x``: only computing ``x`` can raise; nothing runs after.
            if value.value is not None and may_raise(value.value):
                self._raise_from(state, small)
            return self._hit(value, state)
        if may_raise(small):
            self._raise_from(state, small)
        for node in yields:
            state = self._hit(node, state)
        if yields and may_raise(small):
            self._raise_from(state, small)
        return state

    def _hit(self, node: cst.Yield, state: State) -> State:
        if not state:
            return state
        seen = self.incoming.setdefault(node, {})
        for key, token in state.items():
            seen.setdefault(key, token)
        after = Token(node, fresh=True)
        return {after.key: after}

    # -- branches

    def _decide(
        self, state: State, why: str, where: cst.CSTNode, *, away_from_yield: bool, doubtful: bool = False
    ) -> State:
        """A branch was taken: nothing after it is certain any more. For yield-less paths,
        remember the decision when it is the one that steered them away from a yield."""

        def change(token: Token) -> Token:
            if token.last_yield is not None:
                return replace(token, fresh=False)
            if away_from_yield:
                token = replace(token, why=why, where=where)
            return replace(token, doubtful=token.doubtful or doubtful)

        return _map(state, change)

    def _if(self, node: cst.If, state: State) -> State:
        chain: list[cst.If] = [node]
        while isinstance(chain[-1].orelse, cst.If):
            chain.append(chain[-1].orelse)
        last_else = chain[-1].orelse
        bodies: list[cst.BaseSuite | None] = [link.body for link in chain]
        bodies.append(last_else.body if isinstance(last_else, cst.Else) else None)
        has_yield = [body is not None and _has_yield(body) for body in bodies]
        tests = [link.test for link in chain]
        # A dispatch on the item of an enclosing ``for``: which branch a first pass takes
        # depends on the order of the items, so a branch away from the yields may not come first.
        items = frozenset().union(*(loop.items for loop in self._loops))
        on_item = any(names_used(test) & items for test in tests)
        outcomes: list[State] = []
        for position, link in enumerate(chain):
            if may_raise(link.test):
                self._raise_from(state, link)
            if _always_false(link.test):
                continue
            away = _steers_away(has_yield, position, link.body) and not _always_true(link.test)
            why = f"when `{short_code(link.test)}` is true"
            entry = self._decide(state, why, link, away_from_yield=away, doubtful=away and on_item)
            outcomes.append(self._block(link.body, entry))
            if _always_true(link.test):
                return _join(outcomes)  # ``if True:``: nothing after this branch is reachable
        none_holds = _none_holds(tests)
        away = _steers_away(has_yield, len(chain), last_else)
        if isinstance(last_else, cst.Else):
            doubtful = away and on_item
            entry = self._decide(state, none_holds, last_else, away_from_yield=away, doubtful=doubtful)
            outcomes.append(self._block(last_else.body, entry))
        else:
            dispatch = on_item or any(names_used(test) & self.dispatch_names for test in tests)
            outcomes.append(self._decide(state, none_holds, node, away_from_yield=away, doubtful=dispatch))
        return _join(outcomes)

    def _match(self, node: cst.Match, state: State) -> State:
        if may_raise(node.subject):
            self._raise_from(state, node)
        has_yield = [_has_yield(case.body) for case in node.cases]
        outcomes: list[State] = []
        exhaustive = False
        for position, case in enumerate(node.cases):
            away = _steers_away(has_yield, position, case.body)
            why = f"when `case {short_code(case.pattern)}` matches"
            outcomes.append(self._block(case.body, self._decide(state, why, case, away_from_yield=away)))
            exhaustive = exhaustive or (case.guard is None and _irrefutable(case.pattern))
        if not exhaustive:
            why = "when no `case` matches"
            outcomes.append(self._decide(state, why, node, away_from_yield=any(has_yield), doubtful=True))
        return _join(outcomes)

    def _loop(self, node: Loop, state: State) -> State:
        """Run the body until the path classes at its head stop changing.

        Whether a loop comes round again depends on data. When ``second_pass`` expects it to
        (an endless loop, a ``for`` over several items), going round is not a decision, so a
        yield that a pass reaches with no decision on the way is certain to run again; else
        going round is a decision like any branch."""
        header = node.iter if isinstance(node, cst.For) else node.test
        if may_raise(header):
            self._raise_from(state, node)
        endless = isinstance(node, cst.While) and _always_true(node.test)
        comes_round = second_pass(node, self.generators) is not None
        own_yields = frozenset(n for n in walk(node.body) if isinstance(n, cst.Yield))
        self.loop_yields[node] = own_yields
        why = f"when `{short_code(header)}` gives nothing (more)"
        loop = _Loop(frozenset(assigned_names(node.target)) if isinstance(node, cst.For) else frozenset())
        self._loops.append(loop)
        head = self._decide(state, why, node, away_from_yield=False)
        for _ in range(MAX_LOOP_PASSES):
            back = _join([self._block(node.body, head), *loop.continues])
            if comes_round:
                for token in back.values():
                    if token.fresh and token.last_yield in own_yields:
                        self.repeats.setdefault(token.last_yield, node)
            else:
                back = self._decide(back, why, node, away_from_yield=False)
            new_head = _join([head, back])
            if new_head.keys() == head.keys():
                break
            head = new_head
        else:
            self.understood = False
        self._loops.pop()
        exit_state: State = {}
        if not endless:
            # Running out of items is data-dependent: a yield-less exit here is not reported.
            exit_state = self._decide(head, why, node, away_from_yield=_has_yield(node.body), doubtful=True)
            if node.orelse is not None:
                exit_state = self._block(node.orelse.body, exit_state)
        return _join([exit_state, *loop.breaks])

    def _try(self, node: cst.Try | cst.TryStar, state: State) -> State:
        frame = _Try(node)
        self._tries.append(frame)
        normal = self._block(node.body, state)
        self._tries.pop()
        around_yield = _has_yield(node.body)
        yields_without_error = around_yield or (node.orelse is not None and _has_yield(node.orelse))
        if any(_has_yield(handler.body) for handler in node.handlers):
            why = f"when `try: {first_statement(node.body)}` raises nothing"
            normal = _not_yet(normal, lambda t: replace(t, why=why, where=node))
        outcomes: list[State] = []
        raised = _join(edge for edge, _ in frame.edges)
        for handler in node.handlers:
            if not raised:
                break
            culprit = short_code(frame.edges[0][1])
            kind = f" `{short_code(handler.type)}`" if handler.type is not None else ""
            away = not _has_yield(handler.body) and (yields_without_error or _has_return(handler.body))
            entry = self._decide(raised, f"when `{culprit}` raises{kind}", handler, away_from_yield=away)
            if around_yield:
                entry = _not_yet(entry, lambda t, h=handler: replace(t, handler=h))
            outcomes.append(self._block(handler.body, entry))
        if node.orelse is not None:
            normal = self._block(node.orelse.body, normal)
        after = _join([normal, *outcomes])
        if node.finalbody is not None:
            after = self._block(node.finalbody.body, after)
        return after

    def _raise_from(self, state: State, culprit: cst.CSTNode, *, outcome: bool = False) -> None:
        """An exception may leave ``culprit``: record the edge into the enclosing handlers.

        pytest's outcomes (``pytest.skip``) reach only handlers that catch BaseException."""
        for frame in reversed(self._tries):
            handlers = frame.node.handlers
            if outcome and not any(_catches_outcomes(h, self.imports) for h in handlers):
                continue
            frame.edges.append((state, culprit))
            if any(_stops_every_error(h, self.imports) for h in handlers):
                return

    # -- small predicates that need the imports

    def _never_returns(self, small: cst.BaseSmallStatement) -> bool:
        call = _call_of(small)
        if call is None:
            return False
        written = dotted_name(call.func)
        if written is None:
            return False
        if self.imports.qualify(written) in NO_RETURN_CALLS:
            return True
        receiver, _, method = written.rpartition(".")
        return receiver == "self" and method in NO_RETURN_SELF_METHODS

    def _calls_unknown_function(self, small: cst.BaseSmallStatement) -> bool:
        """``require_docker()`` as a statement: a helper that may skip or raise and never return."""
        call = _call_of(small)
        return (
            call is not None
            and isinstance(call.func, cst.Name)
            and call.func.value not in HARMLESS_BUILTINS
        )


# ---------------------------------------------------------------- loops that come round


def second_pass(loop: Loop, generators: Collection[str] = ()) -> str | None:
    """When a loop comes round to a second pass, in words for a message; None when the
    analysis should not expect it to.

    Expected: ``while True:``; a ``for`` over a display or ``range()`` of two items or more
    (certain); a ``for`` over anything else (it does on a second item). Not expected: a
    ``while`` with another test (the body may well make it false), a ``for`` over fewer than
    two items, and delegation, where the loop hands out what a generator yields:
    ``for x in helper(): yield x`` (the loop's whole body), or any loop over a generator
    function of the same file. A helper that yields once ends the loop after one pass.
    """
    if isinstance(loop, cst.While):
        return "on the loop's next pass" if _always_true(loop.test) else None
    count = _item_count(loop.iter)
    if count is not None:
        return "on the loop's second item" if count >= 2 else None
    if _delegates(loop, generators):
        return None
    return f"as soon as `{short_code(loop.iter, 40)}` gives the loop a second item"


def _item_count(iterable: cst.BaseExpression) -> int | None:
    """How many items a display (``("a", "b")``) or ``range(<literals>)`` gives; None if unknown."""
    if isinstance(iterable, (cst.Tuple, cst.List)):
        if any(isinstance(element, cst.StarredElement) for element in iterable.elements):
            return None
        return len(iterable.elements)
    if isinstance(iterable, cst.Call) and dotted_name(iterable.func) == "range":
        bounds = [_integer(arg.value) for arg in iterable.args]
        if len(bounds) in (1, 2) and None not in bounds and all(arg.keyword is None for arg in iterable.args):
            start, stop = (0, bounds[0]) if len(bounds) == 1 else (bounds[0], bounds[1])
            return max(0, stop - start)  # type: ignore[operator]
    return None


def _integer(node: cst.BaseExpression) -> int | None:
    if isinstance(node, cst.Integer):
        return int(node.evaluated_value)
    return None


def _delegates(loop: cst.For, generators: Collection[str]) -> bool:
    """``for x in helper(): yield x``, or a loop over a generator function of this file."""
    if isinstance(loop.iter, cst.Call) and dotted_name(loop.iter.func) in generators:
        return True
    body = loop.body
    lines = body.body if isinstance(body, cst.IndentedBlock) else [body]
    if len(lines) != 1 or not isinstance(lines[0], (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        return False
    small = lines[0].body
    if len(small) != 1 or not isinstance(small[0], cst.Expr) or not isinstance(small[0].value, cst.Yield):
        return False
    value = small[0].value.value
    return value is not None and not isinstance(value, cst.From) and _same_code(value, loop.target)


def _same_code(first: cst.CSTNode, second: cst.CSTNode) -> bool:
    """``x`` and ``x``, ``(a, b)`` and ``a,b``: the same name, or tuples of the same names."""
    return _names_of(first) is not None and _names_of(first) == _names_of(second)


def _names_of(node: cst.CSTNode) -> tuple[str, ...] | None:
    if isinstance(node, cst.Name):
        return (node.value,)
    if isinstance(node, (cst.Tuple, cst.List)) and all(isinstance(e.value, cst.Name) for e in node.elements):
        return tuple(e.value.value for e in node.elements)  # type: ignore[attr-defined]
    return None


def generator_functions(module: cst.Module) -> frozenset[str]:
    """How this file calls its own generator functions: ``helper`` for a module-level one,
    ``self.helper`` / ``cls.helper`` for a method of one of its classes."""
    found: set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and _has_yield(statement.body):
            found.add(statement.name.value)
        elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            for member in statement.body.body:
                if isinstance(member, cst.FunctionDef) and _has_yield(member.body):
                    found.update(f"{owner}.{member.name.value}" for owner in ("self", "cls"))
    return frozenset(found)


# ---------------------------------------------------------------- small helpers


def first_statement(suite: cst.BaseSuite) -> str:
    """How a message quotes a block: its first statement."""
    if isinstance(suite, cst.IndentedBlock) and suite.body:
        return short_code(suite.body[0])
    return short_code(suite)


def _call_of(small: cst.BaseSmallStatement) -> cst.Call | None:
    if isinstance(small, cst.Expr):
        value = strip_await(small.value)
        return value if isinstance(value, cst.Call) else None
    return None


def _has_yield(node: cst.CSTNode) -> bool:
    return any(isinstance(current, cst.Yield) for current in walk(node))


def _has_return(node: cst.CSTNode) -> bool:
    return any(isinstance(current, cst.Return) for current in walk(node))


def _steers_away(has_yield: Sequence[bool], position: int, branch: cst.CSTNode | None) -> bool:
    """Is taking this branch what keeps a path from a yield: the branch has none while
    another has one, or it returns?"""
    if has_yield[position]:
        return False
    others = any(has_yield[:position]) or any(has_yield[position + 1 :])
    return others or (branch is not None and _has_return(branch))


def _asserts_false(small: cst.BaseSmallStatement) -> bool:
    return isinstance(small, cst.Assert) and _always_false(small.test)


def _always_true(test: cst.BaseExpression) -> bool:
    return (isinstance(test, cst.Name) and test.value == "True") or (
        isinstance(test, cst.Integer) and test.value != "0"
    )


def _always_false(test: cst.BaseExpression) -> bool:
    return (isinstance(test, cst.Name) and test.value == "False") or (
        isinstance(test, cst.Integer) and test.value == "0"
    )


def _irrefutable(pattern: cst.MatchPattern) -> bool:
    return isinstance(pattern, cst.MatchAs) and pattern.pattern is None


def _none_holds(tests: Sequence[cst.BaseExpression]) -> str:
    if len(tests) == 1:
        return f"when `{short_code(tests[0])}` is false"
    if len(tests) == 2:
        return f"when neither `{short_code(tests[0], 40)}` nor `{short_code(tests[1], 40)}` is true"
    return f"when none of the {len(tests)} `if`/`elif` conditions (from `{short_code(tests[0], 40)}`) holds"


def analysable(fixture: Fixture) -> bool:
    """Every yield sits in a simple statement (not in an ``if``/``with`` header, say)."""
    return all(
        any(isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) for node in a.ancestors)
        for a in fixture.yields
    )


def flow_of(fixture: Fixture, imports: ImportTable, generators: Collection[str] = ()) -> YieldFlow | None:
    """The flow analysis of a generator fixture, or None when it cannot be trusted."""
    if not fixture.is_generator or fixture.body is None or not analysable(fixture):
        return None
    flow = YieldFlow(fixture, imports, generators)
    return flow if flow.understood else None
