"""Every rule, loaded: ``ALL_RULES`` in code order and ``BY_CODE``.

Which rules exist, and choosing among them by code, is ``fixlint.registry``: importing this
package imports every rule module (and libcst), which a run of cache hits does without.
"""

from __future__ import annotations

import importlib

from fixlint.registry import RULES, UnknownCode, matching_codes
from fixlint.rules.base import Rule


def _load(code: str, where: str) -> Rule:
    module, name = where.split(":")
    rule = getattr(importlib.import_module(f"fixlint.rules.{module}"), name)
    if not isinstance(rule, Rule) or rule.code != code:
        raise ImportError(f"fixlint.registry lists {code} as {where}, which defines {getattr(rule, 'code', rule)!r}")
    return rule


ALL_RULES: tuple[Rule, ...] = tuple(_load(code, where) for code, where in RULES.items())
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}


def matching(prefix: str) -> list[Rule]:
    """Rules whose code starts with ``prefix`` (``FXL2`` -> FXL201...); raises UnknownCode."""
    return [BY_CODE[code] for code in matching_codes(prefix)]


__all__ = ["ALL_RULES", "BY_CODE", "UnknownCode", "matching"]
