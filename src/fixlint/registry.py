"""The list of rules: every code, the module that defines the rule, and which are off by default.

A rule's text and its check live in its own module (``fixlint.rules.<module>``). Choosing
rules needs only their codes, so it is done here, on codes: a run whose files are all cache
hits imports no rule module and no libcst.
"""

from __future__ import annotations

from collections.abc import Iterable

# code -> "module:NAME" in fixlint.rules, in code order (the order of reports and docs)
RULES: dict[str, str] = {
    "FXL001": "syntax_error:SYNTAX_ERROR",
    "FXL010": "mark_on_fixture:MARK_ON_FIXTURE",
    "FXL011": "fixture_arguments:FIXTURE_POSITIONAL_ARGS",
    "FXL012": "fixture_arguments:INVALID_SCOPE",
    "FXL013": "reserved_fixture_name:RESERVED_FIXTURE_NAME",
    "FXL014": "misordered_decorator:MISORDERED_FIXTURE_DECORATOR",
    "FXL101": "finalizer_before_resource:FINALIZER_BEFORE_RESOURCE",
    "FXL102": "finalizer_registered_late:FINALIZER_REGISTERED_LATE",
    "FXL103": "finalizer_not_callable:FINALIZER_NOT_CALLABLE",
    "FXL104": "finalizer_late_binding:FINALIZER_LATE_BINDING",
    "FXL105": "node_finalizer:NODE_FINALIZER_IN_FIXTURE",
    "FXL201": "setup_leak:SETUP_FAILURE_LEAK",
    "FXL202": "teardown_steps:TEARDOWN_STEP_SKIPPED",
    "FXL203": "cleanup_in_except:CLEANUP_IN_EXCEPT",
    "FXL204": "multiple_yields:MULTIPLE_YIELDS",
    "FXL205": "no_yield_path:NO_YIELD_PATH",
    "FXL206": "return_inside_with:RETURN_INSIDE_WITH",
    "FXL207": "manual_enter:MANUAL_ENTER",
    "FXL208": "deprecated_yield_fixture:DEPRECATED_YIELD_FIXTURE",
    "FXL301": "resource_not_released:RESOURCE_NOT_RELEASED",
    "FXL302": "patch_not_stopped:PATCH_NOT_STOPPED",
    "FXL303": "global_state:GLOBAL_STATE_NOT_RESTORED",
    "FXL304": "broad_scope_mutable:BROAD_SCOPE_MUTABLE_VALUE",
    "FXL401": "scope_mismatch:SCOPE_MISMATCH",
    "FXL402": "fixture_called_directly:FIXTURE_CALLED_DIRECTLY",
    "FXL403": "dependency_cycle:FIXTURE_DEPENDENCY_CYCLE",
    "FXL404": "request_attribute_scope:REQUEST_ATTRIBUTE_OUT_OF_SCOPE",
    "FXL405": "unknown_fixture:UNKNOWN_FIXTURE",
}

# Rules that run only when selected (each one's explanation says why).
OFF_BY_DEFAULT = frozenset({"FXL405"})


class UnknownCode(ValueError):
    """A code or prefix that matches no rule."""


def matching_codes(prefix: str) -> list[str]:
    """Codes that start with ``prefix`` (``FXL2`` -> FXL201...); raises UnknownCode."""
    prefix = prefix.strip().upper()
    found = [code for code in RULES if prefix and code.startswith(prefix)]
    if not found:
        raise UnknownCode(prefix)
    return found


def select_codes(
    select: Iterable[str] | None = None,
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> tuple[str, ...]:
    """Ruff's precedence: for each rule the longest matching prefix decides.

    Without ``select`` the default rules are on; ``select`` replaces them, ``extend-select``
    adds to them, and ``ignore`` removes (``--select FXL201 --ignore FXL2`` keeps FXL201,
    since ``FXL201`` is the more specific of the two).
    """
    chosen: dict[str, tuple[int, bool]] = {
        code: (0, select is None and code not in OFF_BY_DEFAULT) for code in RULES
    }
    for prefixes, enabled in ((select or ()), True), (extend_select, True), (ignore, False):
        for prefix in prefixes:
            for code in matching_codes(prefix):
                length = len(prefix.strip())
                if length >= chosen[code][0]:
                    chosen[code] = (length, enabled)
    return tuple(code for code in RULES if chosen[code][1])
