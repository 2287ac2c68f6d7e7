"""FXL204 multiple-yields and FXL205 no-yield-path: a generator fixture must yield exactly once.

Both rules read one small flow analysis of the fixture body (``YieldFlow``). It follows the
statements the way Python runs them (branches, loops, ``break``/``continue``, ``return``,
``raise``, ``try``/``except``) and tracks, for each class of paths, which ``yield`` ran last.
It stays precise by separating what is certain from what merely looks possible:

- a second ``yield`` is reported only when it follows a first one with no decision in between,
  when every path that reaches it has yielded already, or when a loop can bring it round again;
  two yields under separate ``if`` statements whose conditions may exclude each other are not;
- a path that ends without yielding is reported only when it is written out (a ``return``, an
  ``else:`` or ``except`` branch, an ``if`` without ``else``), not when it needs a loop to run
  out of items, an ``if``/``elif`` dispatch on ``request.param`` (or another fixture) to miss
  every branch, or a helper function that may never return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst

from fixlint.cst_util import dotted_name, names_used, short_code, strip_await, walk
from fixlint.fallible import HARMLESS_BUILTINS, NO_RETURN_CALLS, may_raise
from fixlint.imports import ImportTable
from fixlint.model import Fixture, statement_path
from fixlint.rules.base import FileContext, Finding, Fix, FixSafety, Rule

NO_RETURN_METHODS = frozenset({"skipTest", "fail"})  # ``self.skipTest(...)`` in unittest-style classes
# Exception types that are not ``Exception`` subclasses: pytest's outcomes, cancellation, exit.
BASE_ONLY_EXCEPTIONS = frozenset(
    {
        "BaseException", "GeneratorExit", "KeyboardInterrupt", "SystemExit", "BaseExceptionGroup",
        "CancelledError", "Cancelled", "OutcomeException", "Skipped", "Failed", "XFailed", "Exit",
    }
)
PYTEST_OUTCOMES = frozenset({"pytest.skip", "pytest.fail", "pytest.xfail", "pytest.exit"})
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
        if last in BASE_ONLY_EXCEPTIONS or (last == "Exception" and owner in PYTEST_OUTCOMES):
            return False
    return True


def _catches_everything(handler: cst.ExceptHandler, imports: ImportTable) -> bool:
    """Does the handler stop every exception that statements raise (so outer handlers see none)?"""
    if handler.type is None:
        return True
    written = dotted_name(handler.type)
    return written is not None and imports.qualify(written) in ("Exception", "BaseException")


def _catches_base(handler: cst.ExceptHandler, imports: ImportTable) -> bool:
    """Does the handler catch pytest's skip/fail outcomes (BaseException subclasses)?"""
    return handler.type is None or not catches_ordinary_exceptions(handler, imports)


# ---------------------------------------------------------------- the flow analysis


@dataclass(frozen=True)
class Token:
    """A class of paths through the fixture body, as far as yields are concerned."""

    last_yield: cst.Yield | None  # the yield these paths ran most recently; None: no yield yet
    fresh: bool = False  # no branch taken since ``last_yield`` ran: reaching here is certain
    doubtful: bool = False  # a yield-less path that may not exist (loop ran out, param dispatch)
    tail_call: bool = False  # the last statement was a call to an unknown function (may not return)
    handler: cst.ExceptHandler | None = None  # a handler around a yield that these paths entered
    why: str | None = None  # for yield-less paths: the decision that steered them away from yields
    where: cst.CSTNode | None = None  # the node that decision belongs to (where to report)

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


@dataclass
class _Loop:
    breaks: list[State] = field(default_factory=list)
    continues: list[State] = field(default_factory=list)


@dataclass
class _Try:
    node: cst.Try | cst.TryStar
    edges: list[tuple[State, cst.CSTNode]] = field(default_factory=list)


class YieldFlow:
    """Runs the fixture body abstractly; see the module docstring for what it records."""

    def __init__(self, fixture: Fixture, imports: ImportTable) -> None:
        self.fixture = fixture
        self.imports = imports
        self.dispatch_names = set(fixture.parameters) | {"request"}
        self.incoming: dict[cst.Yield, State] = {}  # every path class that reached each yield
        self.returns: list[tuple[cst.Return, State]] = []
        self.repeats: dict[cst.Yield, cst.For | cst.While] = {}  # innermost loop running a yield again
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
        return _map(state, lambda t: replace(t, tail_call=unknown_call) if t.tail_call != unknown_call else t)

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
        outcomes: list[State] = []
        for position, link in enumerate(chain):
            if may_raise(link.test):
                self._raise_from(state, link)
            if _always_false(link.test):
                continue
            away = _steers_away(has_yield, position, link.body) and not _always_true(link.test)
            entry = self._decide(state, f"when `{short_code(link.test)}` is true", link, away_from_yield=away)
            outcomes.append(self._block(link.body, entry))
            if _always_true(link.test):
                return _join(outcomes)  # ``if True:``: nothing after this branch is reachable
        none_holds = _none_holds(tests)
        away = _steers_away(has_yield, len(chain), last_else)
        if isinstance(last_else, cst.Else):
            entry = self._decide(state, none_holds, last_else, away_from_yield=away)
            outcomes.append(self._block(last_else.body, entry))
        else:
            dispatch = any(names_used(test) & self.dispatch_names for test in tests)
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

    def _loop(self, node: cst.For | cst.While, state: State) -> State:
        header = node.iter if isinstance(node, cst.For) else node.test
        if may_raise(header):
            self._raise_from(state, node)
        endless = isinstance(node, cst.While) and _always_true(node.test)
        body_yields = _has_yield(node.body)
        why = f"when `{short_code(header)}` gives nothing (more)"
        loop = _Loop()
        self._loops.append(loop)
        head = self._decide(state, why, node, away_from_yield=False)
        for _ in range(MAX_LOOP_PASSES):
            out = self._block(node.body, head)
            back = self._decide(_join([out, *loop.continues]), why, node, away_from_yield=False)
            for token in back.values():
                if token.last_yield is not None and _contains(node.body, token.last_yield):
                    self.repeats.setdefault(token.last_yield, node)
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
            exit_state = self._decide(head, why, node, away_from_yield=body_yields, doubtful=True)
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
        handler_yields = any(_has_yield(handler.body) for handler in node.handlers)
        if handler_yields:
            why = f"when `try: {_first_statement(node.body)}` raises nothing"
            normal = _map(normal, lambda t: replace(t, why=why, where=node) if t.last_yield is None else t)
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
                entry = _map(entry, lambda t: replace(t, handler=handler) if t.last_yield is None else t)
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
            if outcome and not any(_catches_base(h, self.imports) for h in handlers):
                continue
            frame.edges.append((state, culprit))
            if any(_catches_everything(h, self.imports) for h in handlers):
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
        return receiver == "self" and method in NO_RETURN_METHODS

    def _calls_unknown_function(self, small: cst.BaseSmallStatement) -> bool:
        """``require_docker()`` as a statement: a helper that may skip or raise and never return."""
        call = _call_of(small)
        return (
            call is not None
            and isinstance(call.func, cst.Name)
            and call.func.value not in HARMLESS_BUILTINS
        )


def _first_statement(suite: cst.BaseSuite) -> str:
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


def _contains(node: cst.CSTNode, target: cst.CSTNode) -> bool:
    return any(current is target for current in walk(node))


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


def flow_of(fixture: Fixture, imports: ImportTable) -> YieldFlow | None:
    """The flow analysis of a generator fixture, or None when it cannot be trusted."""
    if not fixture.is_generator or fixture.body is None or not analysable(fixture):
        return None
    flow = YieldFlow(fixture, imports)
    return flow if flow.understood else None


# ---------------------------------------------------------------- FXL204 multiple-yields


def check_multiple_yields(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        flow = flow_of(fixture, context.imports)
        if flow is None:
            continue
        for located in fixture.yields:
            node = located.node
            assert isinstance(node, cst.Yield)
            message = _second_yield(fixture, flow, node)
            if message is not None:
                yield MULTIPLE_YIELDS.finding(node, message)


def _second_yield(fixture: Fixture, flow: YieldFlow, node: cst.Yield) -> str | None:
    """Why ``node`` can be a second yield: a loop brings it round again, it follows an earlier
    yield with no decision in between, or every path that reaches it has yielded already."""
    tokens = list(flow.incoming.get(node, {}).values())
    if not tokens:
        return None
    error = _teardown_error(fixture)
    loop = flow.repeats.get(node)
    if loop is not None and any(token.last_yield is node for token in tokens):
        return (
            f"`{short_code(node)}` in `{fixture.name}` is inside the loop `{_loop_header(loop)}`: when the "
            f"loop comes round again, pytest errors at teardown with {error}, after the code between "
            "the two yields has run and before the rest of the teardown"
        )
    earlier = [token.last_yield for token in tokens if token.last_yield is not None]
    if not earlier:
        return None
    first = next((t.last_yield for t in tokens if t.fresh and t.last_yield is not None), None)
    if first is None and len(earlier) < len(tokens):
        return None  # some paths reach this yield first: which one runs may depend on correlated tests
    first = first or earlier[0]
    return (
        f"`{fixture.name}` reaches `{short_code(node)}` after `{short_code(first)}` has already run: "
        f"pytest errors at teardown with {error}, after the code between the two yields has run and "
        "before the rest of the teardown; a fixture provides exactly one value"
    )


def _loop_header(loop: cst.For | cst.While) -> str:
    if isinstance(loop, cst.While):
        return f"while {short_code(loop.test, 40)}:"
    prefix = "async " if loop.asynchronous is not None else ""
    return f"{prefix}for {short_code(loop.target, 20)} in {short_code(loop.iter, 40)}:"


def _teardown_error(fixture: Fixture) -> str:
    if fixture.is_async:
        return "an error (pytest-asyncio: \"Async generator fixture didn't stop\")"
    return "\"fixture function has more than one 'yield'\""


MULTIPLE_YIELDS = Rule(
    code="FXL204",
    name="multiple-yields",
    summary="A yield fixture can reach a second `yield`, which pytest reports as an error at teardown",
    fix=None,
    check=check_multiple_yields,
    explanation="""\
## What it does
Flags a `yield` in a fixture that can run after another `yield` of the same fixture: two
yields one after the other, a `yield` after an `if` whose branch already yielded without
returning, or a `yield` inside a `for`/`while` loop that can come round again.

Not flagged: yields in exclusive branches (`if`/`else`, `try` body and handler), a `yield`
in a loop when every path after it leaves the loop (`break`, `return`, `raise`), `yield from`
a helper, and yields under two separate `if` statements whose conditions may exclude each
other (fixlint cannot tell, so it stays quiet).

## Why is this bad?
A fixture provides exactly one value. pytest runs a generator fixture up to its first
`yield` for setup, and at teardown resumes it once, expecting it to finish. If it reaches a
second `yield` instead, pytest reports an error at teardown ("fixture function has more
than one 'yield'"; pytest-asyncio: "Async generator fixture didn't stop", anyio and
pytest-trio report their own variants). By then the code between the two yields has run,
the test has already passed or failed with the first value, and the teardown after the
second `yield` never runs. A loop around `yield` fails this way as soon as it has a second
item.

## Example
```python
@pytest.fixture
def user(db):
    for name in ("alice", "bob"):
        account = db.create_user(name)
        yield account
        db.delete_user(account)
```

## Use instead
One value per fixture; parametrize the fixture to run the test once per value:
```python
@pytest.fixture(params=["alice", "bob"])
def user(db, request):
    account = db.create_user(request.param)
    yield account
    db.delete_user(account)
```
or yield all the values at once (a tuple or a dict) from a single `yield`.

## Fix safety
There is no fix: which value the tests meant to get is a design decision.
""",
)


# ---------------------------------------------------------------- FXL205 no-yield-path


def check_no_yield_path(context: FileContext) -> Iterator[Finding]:
    for fixture in context.fixtures:
        flow = flow_of(fixture, context.imports)
        if flow is None:
            continue
        reported: set[int] = set()
        for node, token in flow.finishing_paths():
            if not _reportable(node, token, context.imports):
                continue
            anchor = node if node is not None else token.where or fixture.function.name
            if id(anchor) not in reported:
                reported.add(id(anchor))
                message = _finish_message(fixture, node, token)
                yield NO_YIELD_PATH.finding(anchor, message, _return_fix(fixture, node))


def _reportable(node: cst.Return | None, token: Token, imports: ImportTable) -> bool:
    if token.doubtful:
        return False  # the path needs a loop to run dry or a parameter dispatch to miss
    if token.handler is not None and catches_ordinary_exceptions(token.handler, imports):
        return False  # an ``except`` around the yield itself: FXL203 reports it
    return node is not None or not token.tail_call  # a helper at the end may skip or raise


def _finish_message(fixture: Fixture, node: cst.Return | None, token: Token) -> str:
    when = f" {token.why}" if token.why else ""
    error = f"\"{fixture.name} did not yield a value\""
    if fixture.is_async:
        error = "an error (\"StopAsyncIteration\")"
    if node is not None:
        what = f"`{fixture.name}` reaches `{short_code(node)}` before any `yield`{when}"
    else:
        what = f"`{fixture.name}` ends without reaching `yield`{when}"
    advice = "use `pytest.skip(...)` to skip the test, or raise the real error"
    if node is not None and node.value is not None and not fixture.is_async:
        advice = f"yield `{short_code(node.value)}` to hand it to the test, or use `pytest.skip(...)`"
    return f"{what}: pytest fails the setup of every test that uses it with {error}; {advice}"


def _return_fix(fixture: Fixture, node: cst.Return | None) -> Fix | None:
    """``return value`` -> ``yield value`` + ``return``: the test gets the value (unsafe)."""
    if node is None or node.value is None or fixture.is_async:
        return None
    located = next((r for r in fixture.returns if r.node is node), None)
    path = statement_path(located) if located is not None else None
    if not path:
        return None
    step = path[-1]
    line = step.statement
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    yield_line = line.with_changes(body=[cst.Expr(cst.Yield(value=node.value))])
    return_line = cst.SimpleStatementLine(body=[cst.Return()])
    body = list(step.block.body)
    body[step.index : step.index + 1] = [yield_line, return_line]
    return Fix(
        FixSafety.UNSAFE,
        f"Yield `{short_code(node.value)}` instead of returning it",
        step.block,
        step.block.with_changes(body=body),
    )


NO_YIELD_PATH = Rule(
    code="FXL205",
    name="no-yield-path",
    summary="A generator fixture can finish without yielding, so pytest fails its setup",
    fix=FixSafety.UNSAFE,
    check=check_no_yield_path,
    explanation="""\
## What it does
Flags a generator fixture (one with a `yield` anywhere in its body) that can finish
without yielding: a `return` reached before any `yield`, or a branch written in the code
(an `else:`, an `except` handler, an `if` without `else`) that falls off the end of the
function without a `yield`.

Not flagged: branches that end in `raise`, `pytest.skip(...)`, `pytest.fail(...)`,
`pytest.xfail(...)`, `pytest.exit(...)` or `sys.exit(...)` (they never finish normally);
`pytest.importorskip(...)` (it returns the module or skips); a branch that ends in a call to a
helper function of yours, which may skip or raise; a loop that might run out of items before
it yields; an `if`/`elif` chain without `else` that dispatches on `request.param` or on
another fixture's value (the parameters usually cover every branch). An `except` handler
around the `yield` itself is reported by FXL203 instead.

## Why is this bad?
Any `yield` in the body makes the function a generator, whether or not it is reached. pytest
starts the generator for setup and expects a value; if the generator finishes first, setup
fails with "<fixture> did not yield a value" (async fixtures: `StopAsyncIteration`) and every
test using the fixture errors. A `return value` before the `yield` does not hand `value` to
the test: in a generator it only ends the generator. When the branch was written to handle a
missing dependency, the intended outcome was usually a skip.

## Example
```python
@pytest.fixture
def docker_client():
    if shutil.which("docker") is None:
        return None
    client = DockerClient()
    yield client
    client.close()
```

## Use instead
```python
@pytest.fixture
def docker_client():
    if shutil.which("docker") is None:
        pytest.skip("docker is not installed")
    client = DockerClient()
    yield client
    client.close()
```
or, to hand the test `None`, `yield None` followed by `return`.

## Fix safety
For `return value` in a sync fixture, the fix replaces it with `yield value` followed by
`return`, so the test receives `value` as the author apparently intended. It is unsafe: tests
that errored at setup now run with that value. There is no fix for a bare `return` or a
branch that falls off the end (skip or raise: fixlint cannot choose).
""",
)
