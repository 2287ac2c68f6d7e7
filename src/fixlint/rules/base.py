"""What a rule declares, and what it reports.

A rule's code, name, summary and explanation live in its own module in one ``Rule``
value; ``fixlint rule``, the docs pages and the flake8 messages are all made from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Union

import libcst as cst

from fixlint.registry import OFF_BY_DEFAULT
from fixlint.report import FixSafety

if TYPE_CHECKING:
    from fixlint.imports import ImportTable
    from fixlint.slicing import Slice
    from fixlint.model import Fixture
    from fixlint.project import ProjectIndex
    from fixlint.resources import ResourceKind
    from fixlint.summary import ModuleSummary
    from fixlint.view import FileView


Replacement = Union[cst.CSTNode, cst.RemovalSentinel, cst.FlattenSentinel]


@dataclass(frozen=True)
class Fix:
    """Replace one node of the tree; the engine turns it into a minimal text edit."""

    safety: FixSafety
    title: str
    old: cst.CSTNode
    new: Replacement


@dataclass(frozen=True)
class Finding:
    code: str
    node: cst.CSTNode  # a node of the parsed tree: where the finding is reported
    message: str
    fix: Fix | None = None


class WholeModuleNeeded(Exception):
    """A rule needs what the slice leaves out (a test's body): the engine parses the file whole
    and runs the rules again."""


@dataclass(frozen=True)
class FileContext:
    """Everything a rule may read about one file.

    ``module`` may be a slice (slicing.py): the file without its test functions, each left
    out one replaced by a marker line. A rule that must see tests calls ``whole_module()``."""

    path: str
    module: cst.Module
    imports: "ImportTable"
    fixtures: "list[Fixture]"
    resources: "Mapping[str, ResourceKind]"  # FXL301's table, the user's entries included
    source: bytes = b""  # the bytes the module was parsed from
    project: "ProjectIndex | None" = None  # the files around this one (conftest.py chain, plugins)
    sliced: "Slice | None" = None  # what ``module`` leaves out, when it is a slice

    def whole_module(self) -> cst.Module:
        """The module with its tests: raises ``WholeModuleNeeded`` when ``module`` is a slice."""
        if self.sliced is not None:
            raise WholeModuleNeeded
        return self.module

    @cached_property
    def text(self) -> str:
        """The whole file's text (the slice's ``module.code`` lacks the tests)."""
        return self.source.decode(self.module.encoding) if self.sliced is not None else self.module.code

    @cached_property
    def summary(self) -> "ModuleSummary":
        """What this file offers other files: its module-level fixtures, imports, plugins."""
        from fixlint.summary import summarize

        dropped = self.sliced.dropped if self.sliced is not None else ()
        return summarize(
            str(Path(self.path).absolute()), self.module, self.imports, self.fixtures, self.source, dropped
        )

    @cached_property
    def view(self) -> "FileView":
        """Fixture resolution from this file (built on first use: only the FXL4xx rules need it)."""
        from fixlint.project import ProjectIndex
        from fixlint.view import build_view

        project = self.project if self.project is not None else ProjectIndex()
        dropped = self.sliced.dropped if self.sliced is not None else ()
        return build_view(self.path, self.summary, self.module, self.fixtures, self.source, project, dropped)


def is_test_module(name: str) -> bool:
    """pytest's default ``python_files``: ``test_*.py`` and ``*_test.py``."""
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


@dataclass(frozen=True)
class Rule:
    code: str  # "FXL" + 3 digits
    name: str  # kebab-case
    summary: str  # one line, no trailing period
    explanation: str  # Markdown: What it does / Why is this bad? / Example / Use instead / Fix safety
    fix: FixSafety | None  # the safety of the fix the rule offers, None when it offers none
    check: Callable[[FileContext], Iterable[Finding]] | None
    reads_tests: bool = False  # looks at tests too: test modules without a fixture are parsed for it

    @property
    def default(self) -> bool:
        """On unless deselected (``fixlint.registry`` lists the rules that are not)."""
        return self.code not in OFF_BY_DEFAULT

    def finding(self, node: cst.CSTNode, message: str, fix: Fix | None = None) -> Finding:
        return Finding(self.code, node, message, fix)
