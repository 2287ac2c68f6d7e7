"""The rule registry: every rule, in code order, and rule selection by code prefix."""

from __future__ import annotations

from collections.abc import Iterable

from fixlint.rules.base import Rule
from fixlint.rules.dependency_cycle import FIXTURE_DEPENDENCY_CYCLE
from fixlint.rules.fixture_arguments import FIXTURE_POSITIONAL_ARGS, INVALID_SCOPE
from fixlint.rules.fixture_called_directly import FIXTURE_CALLED_DIRECTLY
from fixlint.rules.mark_on_fixture import MARK_ON_FIXTURE
from fixlint.rules.misordered_decorator import MISORDERED_FIXTURE_DECORATOR
from fixlint.rules.request_attribute_scope import REQUEST_ATTRIBUTE_OUT_OF_SCOPE
from fixlint.rules.reserved_fixture_name import RESERVED_FIXTURE_NAME
from fixlint.rules.scope_mismatch import SCOPE_MISMATCH
from fixlint.rules.unknown_fixture import UNKNOWN_FIXTURE
from fixlint.rules.broad_scope_mutable import BROAD_SCOPE_MUTABLE_VALUE
from fixlint.rules.cleanup_in_except import CLEANUP_IN_EXCEPT
from fixlint.rules.deprecated_yield_fixture import DEPRECATED_YIELD_FIXTURE
from fixlint.rules.finalizer_before_resource import FINALIZER_BEFORE_RESOURCE
from fixlint.rules.finalizer_late_binding import FINALIZER_LATE_BINDING
from fixlint.rules.finalizer_not_callable import FINALIZER_NOT_CALLABLE
from fixlint.rules.finalizer_registered_late import FINALIZER_REGISTERED_LATE
from fixlint.rules.global_state import GLOBAL_STATE_NOT_RESTORED
from fixlint.rules.manual_enter import MANUAL_ENTER
from fixlint.rules.multiple_yields import MULTIPLE_YIELDS
from fixlint.rules.no_yield_path import NO_YIELD_PATH
from fixlint.rules.node_finalizer import NODE_FINALIZER_IN_FIXTURE
from fixlint.rules.patch_not_stopped import PATCH_NOT_STOPPED
from fixlint.rules.resource_not_released import RESOURCE_NOT_RELEASED
from fixlint.rules.return_inside_with import RETURN_INSIDE_WITH
from fixlint.rules.setup_leak import SETUP_FAILURE_LEAK
from fixlint.rules.syntax_error import SYNTAX_ERROR
from fixlint.rules.teardown_steps import TEARDOWN_STEP_SKIPPED

ALL_RULES: tuple[Rule, ...] = (
    SYNTAX_ERROR,
    MARK_ON_FIXTURE,
    FIXTURE_POSITIONAL_ARGS,
    INVALID_SCOPE,
    RESERVED_FIXTURE_NAME,
    MISORDERED_FIXTURE_DECORATOR,
    FINALIZER_BEFORE_RESOURCE,
    FINALIZER_REGISTERED_LATE,
    FINALIZER_NOT_CALLABLE,
    FINALIZER_LATE_BINDING,
    NODE_FINALIZER_IN_FIXTURE,
    SETUP_FAILURE_LEAK,
    TEARDOWN_STEP_SKIPPED,
    CLEANUP_IN_EXCEPT,
    MULTIPLE_YIELDS,
    NO_YIELD_PATH,
    RETURN_INSIDE_WITH,
    MANUAL_ENTER,
    DEPRECATED_YIELD_FIXTURE,
    RESOURCE_NOT_RELEASED,
    PATCH_NOT_STOPPED,
    GLOBAL_STATE_NOT_RESTORED,
    BROAD_SCOPE_MUTABLE_VALUE,
    SCOPE_MISMATCH,
    FIXTURE_CALLED_DIRECTLY,
    FIXTURE_DEPENDENCY_CYCLE,
    REQUEST_ATTRIBUTE_OUT_OF_SCOPE,
    UNKNOWN_FIXTURE,
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}


class UnknownCode(ValueError):
    """A code or prefix that matches no rule."""


def matching(prefix: str) -> list[Rule]:
    """Rules whose code starts with ``prefix`` (``FXL2`` -> FXL201...); raises UnknownCode."""
    prefix = prefix.strip().upper()
    found = [rule for rule in ALL_RULES if prefix and rule.code.startswith(prefix)]
    if not found:
        raise UnknownCode(prefix)
    return found


def select_rules(
    select: Iterable[str] | None = None,
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> tuple[Rule, ...]:
    """Ruff's precedence: for each rule the longest matching prefix decides.

    Without ``select`` the default rules are on; ``select`` replaces them, ``extend-select``
    adds to them, and ``ignore`` removes (``--select FXL201 --ignore FXL2`` keeps FXL201,
    since ``FXL201`` is the more specific of the two).
    """
    chosen: dict[str, tuple[int, bool]] = {}
    for rule in ALL_RULES:
        chosen[rule.code] = (0, rule.default if select is None else False)
    for prefixes, enabled in ((select or ()), True), (extend_select, True), (ignore, False):
        for prefix in prefixes:
            for rule in matching(prefix):
                length = len(prefix.strip())
                if length >= chosen[rule.code][0]:
                    chosen[rule.code] = (length, enabled)
    return tuple(rule for rule in ALL_RULES if chosen[rule.code][1])
