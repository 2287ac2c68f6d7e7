"""What a check reports: findings with positions, and the outcome for one file.

Plain data with no libcst in it, so a run whose files are all cache hits can print findings
without importing the engine, and reports cross process boundaries cheaply.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

# How fixlint counts lines, everywhere: as Python does (not str.splitlines: a form feed is no line break).
LINE_BREAK = re.compile(r"\r\n|\r|\n")


class FixSafety(str, enum.Enum):
    """``safe`` fixes cannot change the outcome of a run that passes today; ``unsafe`` ones can."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class TextEdit:
    """An edit by line and column, as reports show it (SARIF fixes, JSON): 1-based lines and
    columns counted in characters; the end is exclusive."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    content: str


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int  # 1-based
    column: int  # 1-based
    end_line: int
    end_column: int
    code: str
    message: str
    fix_safety: FixSafety | None = None
    fix_title: str | None = None
    fix_edit: TextEdit | None = None  # what the fix alone would change (SARIF and JSON show it)

    def fixable(self, unsafe_fixes: bool) -> bool:
        """Would ``--fix`` (with this ``--unsafe-fixes`` setting) apply this finding's fix?"""
        return self.fix_safety is FixSafety.SAFE or (unsafe_fixes and self.fix_safety is FixSafety.UNSAFE)


@dataclass
class FileReport:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)  # what is left after the fixes
    initial: list[Diagnostic] = field(default_factory=list)  # the findings in the file as read
    original: bytes | None = None  # the content that was read, kept only when ``fixed`` is set
    fixed: bytes | None = None  # the new content, when fixes changed the file
    applied: list[Diagnostic] = field(default_factory=list)  # findings that fixes removed
    error: str | None = None  # an internal error: nothing may be written for this file
