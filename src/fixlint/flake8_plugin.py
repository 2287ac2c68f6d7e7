"""The flake8 plugin: fixlint's findings as flake8 violations (``FXL201 ...``).

It runs the same engine as ``fixlint check`` (``check_source``) and leaves the rest to flake8:
``--select``/``--extend-select``/``--ignore``, ``per-file-ignores`` and ``# noqa`` are flake8's.
Two things are ours:

- Rules that are off by default in fixlint (FXL405) run only when the user selects them by a
  code that starts with ``FXL`` (``--select FXL``, ``--extend-select FXL405``). flake8's own
  default-ignore list cannot promise that: ``--ignore`` replaces it, and a plain ``F`` in
  ``select`` would select every FXL code too. Not running them also saves parsing every test
  module, which only those rules need.
- A file that does not parse yields nothing: flake8 reports E999 for it itself.

Settings come from ``[tool.fixlint]`` (found as ``fixlint check`` finds it) plus the flake8
options ``--fixlint-fixture-decorators`` and ``--fixlint-plugin-fixtures``, which add to it.
"""

from __future__ import annotations

import argparse
import ast
import io
import logging
import re
import tokenize
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from flake8.exceptions import ExecutionError

from fixlint import __version__
from fixlint.config import ConfigError, settings_for
from fixlint.engine import Diagnostic, check_source
from fixlint.known_fixtures import FIXTURE_SCOPES
from fixlint.project import ProjectIndex
from fixlint.rules import ALL_RULES
from fixlint.rules.base import FixSafety, Rule

if TYPE_CHECKING:
    from flake8.options.manager import OptionManager

_SUFFIX = {
    FixSafety.SAFE: " (fixable with fixlint --fix)",
    FixSafety.UNSAFE: " (fixable with fixlint --fix --unsafe-fixes)",
}


@dataclass(frozen=True)
class PluginSettings:
    """What every file's check needs, worked out once from the flake8 options."""

    rules: tuple[Rule, ...]
    extra_decorators: tuple[str, ...] = ()
    resources: tuple[tuple[str, tuple[str, ...]], ...] = ()
    plugin_fixtures: tuple[tuple[str, str], ...] = ()


# fixlint's defaults, for a caller that never had flake8 parse the options.
_LOG = logging.getLogger(__name__)
_DEFAULTS = PluginSettings(rules=tuple(rule for rule in ALL_RULES if rule.check is not None and rule.default))


class Plugin:
    """A flake8 tree plugin; flake8 calls ``add_options`` and ``parse_options`` once per
    process that parses options, then makes one instance per file and iterates ``run()``."""

    name = "fixlint"
    version = __version__

    # Class-level, because flake8 hands the options to the class, not to instances. Worker
    # processes either inherit these (fork) or parse the options again (spawn).
    settings: ClassVar[PluginSettings | None] = None
    _project: ClassVar[ProjectIndex | None] = None

    def __init__(self, tree: ast.AST, filename: str, lines: Sequence[str]) -> None:
        # ``tree`` is unused (fixlint parses with libcst), but flake8 classifies plugins by
        # their parameters: asking for it makes this a tree plugin, run once per file.
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, manager: OptionManager) -> None:
        manager.add_option(
            "--fixlint-fixture-decorators",
            default="",
            parse_from_config=True,
            comma_separated_list=True,
            help="fixlint: more decorators that define fixtures, comma-separated, added to "
            "[tool.fixlint] fixture-decorators (e.g. myproject.testing.resource)",
        )
        # Not ``comma_separated_list``: flake8 would split ``name = scope`` at the spaces too.
        manager.add_option(
            "--fixlint-plugin-fixtures",
            default="",
            parse_from_config=True,
            help="fixlint: fixtures of plugins fixlint cannot read, as comma-separated name=scope "
            "items, added to [tool.fixlint] plugin-fixtures (e.g. live_cluster=session)",
        )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Read ``[tool.fixlint]`` and our options; a bad value stops flake8 with a message
        (``ExecutionError`` is what flake8 prints cleanly, without a traceback)."""
        try:
            settings = settings_for(options.filenames)
        except ConfigError as exc:
            raise ExecutionError(f"fixlint: {exc}") from None
        explicit = [*(options.select or ()), *(options.extend_select or ())]
        cls.settings = PluginSettings(
            rules=tuple(rule for rule in ALL_RULES if rule.check is not None and _runs(rule, explicit)),
            extra_decorators=_unique(settings.fixture_decorators, options.fixlint_fixture_decorators),
            resources=settings.resources,
            plugin_fixtures=settings.plugin_fixtures + _plugin_fixtures(options.fixlint_plugin_fixtures),
        )
        cls._project = None  # the next file builds an index with these settings

    @classmethod
    def project(cls, settings: PluginSettings) -> ProjectIndex:
        """One index per process, so each conftest.py is read once per process. It has no disk
        cache: flake8 has no end-of-run hook to save one from."""
        if cls._project is None:
            cls._project = ProjectIndex(
                extra_decorators=settings.extra_decorators, plugin_fixtures=settings.plugin_fixtures
            )
        return cls._project

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        settings = self.settings or _DEFAULTS  # flake8 always parses options first; other callers may not
        try:
            report = check_source(
                source_bytes(self.filename, self.lines),
                self.filename,
                settings.rules,
                extra_decorators=settings.extra_decorators,
                resources=settings.resources,
                project=self.project(settings),
                line_noqa_comments=False,  # flake8 applies ``# noqa`` itself (and --disable-noqa)
            )
        except RecursionError:  # as ``fixlint check``: this file is skipped, the run goes on
            _LOG.warning("fixlint: %s is nested too deeply to analyse; skipped", self.filename)
            return
        # No FXL001 here: it is not among the rules, so a file that does not parse reports
        # nothing, and flake8's E999 says why.
        for diagnostic in report.diagnostics:
            yield diagnostic.line, diagnostic.column - 1, message(diagnostic), type(self)


def message(diagnostic: Diagnostic) -> str:
    """``FXL201 <message>``, saying how to fix it when fixlint can (flake8 users have no ``[*]``)."""
    suffix = _SUFFIX[diagnostic.fix_safety] if diagnostic.fix_safety else ""
    return f"{diagnostic.code} {diagnostic.message}{suffix}"


def source_bytes(filename: str, lines: Sequence[str]) -> bytes:
    """The file's bytes as on disk, so a coding cookie, a BOM and CRLF newlines reach the engine
    as the CLI sees them, when the disk holds what flake8 read; else (standard input, possibly
    named after a real file by ``--stdin-display-name``) the lines flake8 gives, in their
    declared encoding."""
    text = "".join(lines)
    try:
        data = Path(filename).read_bytes()
    except OSError:
        return _encode(text)
    return data if _as_flake8_reads(data) == text else _encode(text)


def _as_flake8_reads(data: bytes) -> str | None:
    """``data`` decoded the way flake8 reads a file: declared encoding, BOM dropped, universal
    newlines; None when flake8 would have to fall back to latin-1."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeError):
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _encode(text: str) -> bytes:
    """``text`` in the encoding its coding cookie declares (UTF-8 without one)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(text.encode("utf-8")).readline)
        return text.encode(encoding)
    except (SyntaxError, LookupError, UnicodeError):
        return text.encode("utf-8")


def _runs(rule: Rule, explicit: Sequence[str]) -> bool:
    """On by default, or selected explicitly by a prefix that names fixlint (``FXL...``)."""
    named = (prefix for prefix in explicit if prefix.startswith("FXL"))
    return rule.default or any(rule.code.startswith(prefix) for prefix in named)


def _unique(*groups: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name.strip() for group in groups for name in group if name.strip()))


def _plugin_fixtures(value: str) -> tuple[tuple[str, str], ...]:
    """``name=scope`` items, separated by commas or new lines (a flake8 config value may span
    lines); anything else stops flake8 with a message naming the option."""
    found: list[tuple[str, str]] = []
    for item in filter(None, (item.strip() for item in re.split(r"[,\n]", value))):
        name, equals, scope = (part.strip() for part in item.partition("="))
        if not equals or not name.isidentifier() or scope not in FIXTURE_SCOPES:
            raise ExecutionError(
                f"fixlint: option --fixlint-plugin-fixtures (fixlint-plugin-fixtures in the flake8 "
                f"config): {item!r} must be name=scope, the scope one of {', '.join(FIXTURE_SCOPES)}"
            )
        found.append((name, scope))
    return tuple(found)
