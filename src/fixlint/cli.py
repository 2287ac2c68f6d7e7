"""The ``fixlint`` command: ``fixlint check [PATH ...]``, ``fixlint rule CODE``, ``fixlint clean``.

Exit codes, as ruff and flake8 users expect: 0 nothing left to report, 1 findings left
(or ``--diff`` would change files), 2 a usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from fixlint import __version__
from fixlint.cache import remove_caches
from fixlint.config import ConfigError, Settings, settings_for
from fixlint.discovery import discover
from fixlint.report import Diagnostic, FileReport
from fixlint.output import (
    DOCUMENT_FORMATS, FORMATS, SourceLines, document, full_block, statistics, summary, text_line,
)
from fixlint.rule_docs import render_rule
from fixlint.runner import check_bytes, make_index, make_job, make_results_cache, run_jobs, write_fixed

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _codes(value: str) -> list[str]:
    codes = [code.strip() for code in value.split(",") if code.strip()]
    if not codes:
        raise argparse.ArgumentTypeError("expected rule codes or prefixes, e.g. FXL2 or FXL201")
    return codes


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fixlint", description="Find and fix teardown-safety bugs in pytest fixtures."
    )
    parser.add_argument("--version", action="version", version=f"fixlint {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="check files and directories (the default: .)")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="files or directories to check; '-' reads standard input")
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument("--unsafe-fixes", action="store_true",
                       help="also apply (with --fix) or show unsafe fixes")
    check.add_argument("--diff", action="store_true",
                       help="print the changes --fix would make instead of writing them")
    check.add_argument("--show-fixes", action="store_true", help="list the fixes applied")
    for flag, meaning in (("--select", "only these rules (codes or prefixes, comma-separated)"),
                          ("--extend-select", "these rules as well"),
                          ("--ignore", "not these rules")):
        check.add_argument(flag, type=_codes, action="append", metavar="CODES", help=meaning)
    check.add_argument("--output-format", choices=FORMATS, default="text", metavar="FORMAT",
                       help=f"how to report findings: {', '.join(FORMATS)} (default: text)")
    check.add_argument("--statistics", action="store_true", help="count findings per rule")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain")
    check.add_argument("--config", type=Path, help="the pyproject.toml to read [tool.fixlint] from")
    check.add_argument("--stdin-filename", help="the file name to report for standard input")
    check.add_argument("--force-exclude", action="store_true",
                       help="apply exclude patterns to files named on the command line too")
    check.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="worker processes (default: one per CPU for large runs)")
    check.add_argument("--no-cache", action="store_true",
                       help="check every file and read every conftest.py again; neither read nor write .fixlint_cache")

    commands.add_parser("clean", help="remove the .fixlint_cache folders in the current directory and below")

    rule = commands.add_parser("rule", help="explain a rule")
    rule.add_argument("code", nargs="?", help="a rule code, e.g. FXL201")
    rule.add_argument("--all", action="store_true", help="explain every rule")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "rule":
            return _explain(args)
        if args.command == "clean":
            return _clean()
        return _check(args)
    except ConfigError as exc:
        print(f"fixlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # ``fixlint check | head``: the reader left; that is not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep the interpreter quiet at exit
        return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    from fixlint.rules import ALL_RULES, UnknownCode, matching

    if args.all:
        print("\n\n".join(render_rule(rule) for rule in ALL_RULES))
        return EXIT_OK
    if not args.code:
        print("fixlint: error: give a rule code (e.g. FXL201) or --all", file=sys.stderr)
        return EXIT_ERROR
    try:
        rules = matching(args.code)
    except UnknownCode:
        print(f"fixlint: error: '{args.code}' matches no fixlint rule", file=sys.stderr)
        return EXIT_ERROR
    print("\n\n".join(render_rule(rule) for rule in rules))
    return EXIT_OK


def _clean() -> int:
    for folder in remove_caches(Path(".")):
        print(f"Removed {folder}")
    return EXIT_OK


def _settings(args: argparse.Namespace) -> Settings:
    return settings_for(args.paths, args.config).with_overrides(
        select=_flatten(args.select),
        extend_select=_flatten(args.extend_select),
        ignore=_flatten(args.ignore),
    )


def _flatten(groups: list[list[str]] | None) -> list[str] | None:
    return None if groups is None else [code for group in groups for code in group]


def _check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    fixing = args.fix or args.diff
    paths: list[Path] = args.paths or [Path(".")]
    if any(str(path) == "-" for path in paths):
        if len(paths) != 1:
            print("fixlint: error: '-' (standard input) cannot be combined with other paths", file=sys.stderr)
            return EXIT_ERROR
        return _check_stdin(args, settings)

    missing = [path for path in paths if not path.exists()]
    for path in missing:
        print(f"fixlint: error: {path}: no such file or directory", file=sys.stderr)
    files = list(discover([p for p in paths if p.exists()], settings, force_exclude=args.force_exclude))
    jobs = [make_job(path, settings, fix=fixing, unsafe_fixes=args.unsafe_fixes) for path in files]
    index = functools.partial(make_index, settings, use_cache=not args.no_cache)
    reports = run_jobs(jobs, args.jobs, index, None if args.no_cache else make_results_cache(settings))

    errors = len(missing)
    changed: list[FileReport] = []
    for report in reports:
        if report.error:
            errors += 1
            print(f"fixlint: error: {report.path}: {report.error}", file=sys.stderr)
        elif report.fixed is not None:
            changed.append(report)

    if args.diff:
        for report in changed:
            sys.stdout.write(_unified_diff(report))
        fixes = sum(len(report.applied) for report in changed)
        if fixes:
            print(f"Would fix {fixes} error{'s' if fixes != 1 else ''}.", file=sys.stderr)
        if errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if changed and not args.exit_zero else EXIT_OK

    fixed: list[Diagnostic] = []
    if args.fix:
        for report in changed:
            assert report.original is not None and report.fixed is not None
            problem = write_fixed(Path(report.path), report.original, report.fixed)
            if problem:
                errors += 1
                print(f"fixlint: error: {report.path}: {problem}", file=sys.stderr)
                report.diagnostics = report.initial  # the file still holds what was found in it
            else:
                fixed.extend(report.applied)
    remaining = [d for report in reports for d in report.diagnostics]
    _print(args, remaining, fixed, errors, selected=settings.codes)
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if remaining and not args.exit_zero else EXIT_OK


def _check_stdin(args: argparse.Namespace, settings: Settings) -> int:
    name = args.stdin_filename or "-"
    source = sys.stdin.buffer.read()
    if args.force_exclude and args.stdin_filename and settings.is_excluded(Path(name)):
        if args.fix:
            sys.stdout.buffer.write(source)  # an editor replaces its buffer with this: unchanged
        return EXIT_OK
    job = make_job(name, settings, fix=args.fix or args.diff, unsafe_fixes=args.unsafe_fixes)
    report = check_bytes(source, job, make_index(settings, use_cache=not args.no_cache))
    if report.error:
        print(f"fixlint: error: {name}: {report.error}", file=sys.stderr)
        if args.fix:
            sys.stdout.buffer.write(source)  # never lose the input
        return EXIT_ERROR
    if args.diff:
        if report.fixed is not None:
            sys.stdout.write(_unified_diff(report))
        return EXIT_FINDINGS if report.fixed is not None and not args.exit_zero else EXIT_OK
    if args.fix:
        # The fixed source goes to stdout (editors replace the buffer with it); findings to stderr.
        sys.stdout.buffer.write(report.fixed if report.fixed is not None else source)
        sys.stdout.flush()
        for diagnostic in report.diagnostics:
            print(text_line(diagnostic, args.unsafe_fixes), file=sys.stderr)
    else:
        _print(args, report.diagnostics, [], selected=settings.codes, stdin=source)
    return EXIT_FINDINGS if report.diagnostics and not args.exit_zero else EXIT_OK


def _print(
    args: argparse.Namespace,
    remaining: list[Diagnostic],
    fixed: list[Diagnostic],
    errors: int = 0,
    *,
    selected: Sequence[str] = (),
    stdin: bytes | None = None,
) -> None:
    """The report on stdout. A machine format prints its document alone: no summary, and
    ``--statistics`` and ``--show-fixes`` are ignored. ``selected`` holds the selected rules'
    codes; ``stdin`` is the source read from ``-``."""
    if args.output_format in DOCUMENT_FORMATS:
        text = document(args.output_format, remaining, selected=selected, unsafe_fixes=args.unsafe_fixes,
                        errors=errors)
        sys.stdout.write(text)
        return
    if args.output_format == "full":
        sources = SourceLines({d.path: stdin for d in remaining} if stdin is not None else None)
        for diagnostic in remaining:
            print(full_block(diagnostic, args.unsafe_fixes, sources), end="\n\n")
    else:
        for diagnostic in remaining:
            print(text_line(diagnostic, args.unsafe_fixes))
    if args.show_fixes and fixed:
        print(f"\nFixed {len(fixed)} error{'s' if len(fixed) != 1 else ''}:")
        by_file: dict[str, list[Diagnostic]] = {}
        for diagnostic in fixed:
            by_file.setdefault(diagnostic.path, []).append(diagnostic)
        for path, diagnostics in by_file.items():
            print(f"- {path}:")
            for diagnostic in diagnostics:
                print(f"    {diagnostic.code} {diagnostic.fix_title}")
    if args.statistics:
        print("\n".join(statistics(remaining, args.unsafe_fixes)))
    print("\n".join(summary(remaining, len(fixed), args.unsafe_fixes, args.fix, errors)))


def _unified_diff(report: FileReport) -> str:
    assert report.original is not None and report.fixed is not None
    before = report.original.decode("utf-8", errors="replace").splitlines(keepends=True)
    after = report.fixed.decode("utf-8", errors="replace").splitlines(keepends=True)
    import difflib

    return "".join(difflib.unified_diff(before, after, report.path, report.path))
