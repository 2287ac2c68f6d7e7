"""Turning a rule's node replacement into a minimal text edit, and applying edits.

A fix replaces one node; printing the whole module with and without the replacement
and trimming the common prefix and suffix gives the smallest edit, so everything
outside the edited statements stays byte-identical.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from fixlint.report import LINE_BREAK, TextEdit

if TYPE_CHECKING:
    from fixlint.rules.base import Fix


@dataclass(frozen=True)
class Edit:
    start: int  # offsets into the module's text
    end: int
    replacement: str


def text_edit(text: str, edit: Edit) -> TextEdit:
    """``edit`` (offsets into ``text``) as lines and columns."""
    starts = [0, *(match.end() for match in LINE_BREAK.finditer(text))]

    def where(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    return TextEdit(*where(edit.start), *where(edit.end), edit.replacement)


def edit_for(module: cst.Module, text: str, fix: "Fix") -> Edit | None:
    """The text edit that ``fix`` makes to ``module`` (whose printed text is ``text``)."""
    return minimal_edit(text, module.deep_replace(fix.old, fix.new).code)  # type: ignore[arg-type]


def minimal_edit(before: str, after: str) -> Edit | None:
    """The single replacement that turns ``before`` into ``after`` (None when equal)."""
    if before == after:
        return None
    limit = min(len(before), len(after))
    low, high = 0, limit  # the common prefix length lies in [low, high]
    while low < high:
        middle = (low + high + 1) // 2
        if before[:middle] == after[:middle]:
            low = middle
        else:
            high = middle - 1
    prefix = low
    low, high = 0, limit - prefix
    while low < high:
        middle = (low + high + 1) // 2
        if before[len(before) - middle :] == after[len(after) - middle :]:
            low = middle
        else:
            high = middle - 1
    suffix = low
    return Edit(prefix, len(before) - suffix, after[prefix : len(after) - suffix])


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits (any order) to ``text``."""
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text
