"""The engine: one source text in, findings (and optionally fixed text) out.

The CLI and the flake8 plugin both call ``check_source``. The way through, as in
design.md: prefilter -> parse from bytes -> import table -> fixture model -> rules ->
noqa -> positions (only for files with findings) -> fixes (only when asked).
Results are plain data (no CST nodes), so they can cross process boundaries.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from fixlint.fixes import Edit, apply_edits, edit_for, text_edit
from fixlint.imports import build_import_table
from fixlint.model import build_fixtures, decorator_last_names, prefilter_terms, slice_holds
from fixlint.noqa import file_noqa, is_suppressed, line_noqa
from fixlint.parser import parse_module
from fixlint.project import ProjectIndex
from fixlint.resources import RESOURCES, ResourceKind, user_resource
from fixlint.report import LINE_BREAK, Diagnostic, FileReport, FixSafety, TextEdit
from fixlint.rules.base import FileContext, Finding, Rule, WholeModuleNeeded, is_test_module
from fixlint.slicing import Slice, slice_tests
from fixlint.rules.syntax_error import SYNTAX_ERROR

MAX_FIX_PASSES = 10


def check_source(
    source: bytes,
    path: str,
    rules: Sequence[Rule],
    *,
    extra_decorators: Sequence[str] = (),
    resources: Sequence[tuple[str, tuple[str, ...]]] = (),
    fix: bool = False,
    unsafe_fixes: bool = False,
    project: ProjectIndex | None = None,
    line_noqa_comments: bool = True,
    slicing: bool = True,
) -> FileReport:
    """Check one file's bytes; with ``fix``, also apply fixes to a fixed point.

    ``resources`` adds the user's own acquire -> release pairs to FXL301's table; ``project``
    is the index of the files around this one (a fresh one is made when not given).
    ``line_noqa_comments=False`` leaves a line's ``# noqa`` to the caller (flake8 reads them
    itself, and its ``--disable-noqa`` must be able to bring the findings back).
    ``slicing=False`` always parses the whole file (slicing.py): the reference a slice's
    findings must equal."""
    report = FileReport(path)
    if not any(term in source for term in prefilter_terms(extra_decorators)) and not (
        any(rule.reads_tests for rule in rules) and is_test_module(PurePath(path).name)
    ):
        return report
    file_codes = file_noqa(source)
    if file_codes is not None and not file_codes:
        return report  # ``# fixlint: noqa`` on its own: the whole file is skipped
    rules = [rule for rule in rules if not (file_codes and rule.code.startswith(tuple(file_codes)))]
    allowed = {FixSafety.SAFE, FixSafety.UNSAFE} if unsafe_fixes else {FixSafety.SAFE}
    known = {**RESOURCES, **{acquire: user_resource(releases) for acquire, releases in resources}}
    project = project if project is not None else ProjectIndex(extra_decorators=tuple(extra_decorators))

    current = source
    for _ in range(MAX_FIX_PASSES):
        # Fixes edit the whole text: with ``fix``, files are not sliced.
        analysis = _analyse(
            current, path, rules, extra_decorators, known, project, line_noqa_comments, slicing and not fix
        )
        if isinstance(analysis, Diagnostic):
            if SYNTAX_ERROR in rules:
                report.diagnostics = [analysis]
            return report
        module, findings, diagnostics = analysis
        report.diagnostics = diagnostics
        if current is source:
            report.initial = diagnostics
        fixable = [finding for finding in findings if finding.fix and finding.fix.safety in allowed]
        if not fix or not fixable:
            break
        text = module.code
        candidates = [(edit_for(module, text, finding.fix), finding) for finding in fixable]  # type: ignore[arg-type]
        edits = _choose(candidates)
        fixed_text = apply_edits(text, edits)
        try:
            fixed_bytes = fixed_text.encode(module.encoding)
            parse_module(fixed_bytes)
        except Exception as exc:  # noqa: BLE001 - any failure here means: do not write
            codes = ", ".join(sorted({finding.code for edit, finding in candidates if edit in edits}))
            report.error = f"the fix for {codes} produced code that does not parse ({exc}); file left unchanged"
            report.diagnostics, report.applied = report.initial, []
            return report
        # Several findings may propose the same edit (one import rename fixes them all).
        applied = {id(finding) for edit, finding in candidates if edit in edits}
        report.applied.extend(d for f, d in zip(findings, diagnostics) if id(f) in applied)
        current = fixed_bytes
    else:
        report.error = f"fixes did not settle after {MAX_FIX_PASSES} passes; file left unchanged"
        report.diagnostics, report.applied = report.initial, []
        return report
    if current != source:
        report.original, report.fixed = source, current
    return report


def _choose(candidates: Iterable[tuple[Edit | None, Finding]]) -> list[Edit]:
    """Non-overlapping edits, first come first served; the rest wait for the next pass."""
    chosen: list[Edit] = []
    for edit in sorted({edit for edit, _ in candidates if edit is not None}, key=lambda e: (e.start, e.end)):
        if not chosen or edit.start > chosen[-1].end:
            chosen.append(edit)
    return chosen


def _analyse(
    source: bytes,
    path: str,
    rules: Sequence[Rule],
    extra_decorators: Sequence[str],
    resources: Mapping[str, ResourceKind],
    project: ProjectIndex,
    line_noqa_comments: bool = True,
    slicing: bool = True,
) -> tuple[cst.Module, list[Finding], list[Diagnostic]] | Diagnostic:
    """Findings in ``source``: from its slice without tests when it has one and no rule needs
    the tests, else (or when a rule asks, ``WholeModuleNeeded``) from the whole file."""
    slicing = slicing and not any(rule.reads_tests for rule in rules)
    sliced = slice_tests(source, decorator_last_names(extra_decorators)) if slicing else None
    if sliced is not None:
        try:
            return _analyse_once(source, sliced, path, rules, extra_decorators, resources, project, line_noqa_comments)
        except WholeModuleNeeded:
            pass
    return _analyse_once(source, None, path, rules, extra_decorators, resources, project, line_noqa_comments)


def _analyse_once(
    source: bytes,
    sliced: Slice | None,
    path: str,
    rules: Sequence[Rule],
    extra_decorators: Sequence[str],
    resources: Mapping[str, ResourceKind],
    project: ProjectIndex,
    line_noqa_comments: bool,
) -> tuple[cst.Module, list[Finding], list[Diagnostic]] | Diagnostic:
    try:
        module = parse_module(source if sliced is None else sliced.source)
    except Exception as exc:  # noqa: BLE001 - ParserSyntaxError, bad encodings, recursion
        if sliced is not None:
            raise WholeModuleNeeded from exc
        return _syntax_error(source, path, exc)
    imports = build_import_table(module)
    if sliced is not None and not slice_holds(module, imports, sliced, extra_decorators):
        raise WholeModuleNeeded
    context = FileContext(
        path=path,
        module=module,
        imports=imports,
        fixtures=build_fixtures(module, imports, extra_decorators),
        resources=resources,
        source=source,
        project=project,
        sliced=sliced,
    )
    findings = [
        finding
        for rule in rules
        if rule.check is not None
        for finding in rule.check(context)
    ]
    if not findings:
        return module, [], []
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    code = module.code
    lines = LINE_BREAK.split(context.text)
    in_file = sliced.line_in_file if sliced is not None else (lambda line: line)
    kept: list[Finding] = []
    diagnostics: list[Diagnostic] = []
    for finding in findings:
        where = positions[finding.node]
        line, end_line = in_file(where.start.line), in_file(where.end.line)
        line_text = lines[line - 1] if line <= len(lines) else ""
        if line_noqa_comments and is_suppressed(finding.code, line_noqa(line_text)):
            continue
        kept.append(finding)
        edit = edit_for(module, code, finding.fix) if finding.fix else None
        fix_edit = text_edit(code, edit) if edit else None
        diagnostics.append(
            Diagnostic(
                path=path,
                line=line,
                column=where.start.column + 1,
                end_line=end_line,
                end_column=where.end.column + 1,
                code=finding.code,
                message=finding.message,
                fix_safety=finding.fix.safety if finding.fix else None,
                fix_title=finding.fix.title if finding.fix else None,
                fix_edit=_edit_in_file(fix_edit, sliced) if fix_edit and sliced else fix_edit,
            )
        )
    order = sorted(range(len(kept)), key=lambda i: (diagnostics[i].line, diagnostics[i].column, kept[i].code))
    return module, [kept[i] for i in order], [diagnostics[i] for i in order]


def _edit_in_file(edit: TextEdit, sliced: Slice) -> TextEdit:
    """A fix's edit of the slice as an edit of the file; the whole file is needed when the
    edit spans a left-out test."""
    first, last = edit.start_line, edit.end_line
    if last > len(sliced.lines) or any(line - 1 in sliced.markers for line in range(first, last + 1)):
        raise WholeModuleNeeded
    start, end = sliced.line_in_file(first), sliced.line_in_file(last)
    if end - start != last - first:
        raise WholeModuleNeeded
    return dataclasses.replace(edit, start_line=start, end_line=end)


def _syntax_error(source: bytes, path: str, exc: Exception) -> Diagnostic:
    """FXL001, located by CPython's own parser (libcst's error positions are rough)."""
    line, column, reason = 1, 1, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, cst.ParserSyntaxError):
        line, column = exc.raw_line, exc.raw_column + 1
    try:
        compile(source, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        line, column = error.lineno or line, error.offset or column
        reason = error.msg
    except (ValueError, UnicodeError, LookupError) as error:
        reason = str(error)
    except (RecursionError, MemoryError):
        reason = "the file is nested too deeply or is too complex to parse"
    else:
        if isinstance(exc, RecursionError):
            reason = "the file is nested too deeply for libcst to parse"
        else:
            reason = f"libcst cannot parse this file ({_first_line(reason)})"
    message = f"could not parse this file: {reason}; fixlint skipped it"
    return Diagnostic(path, line, column, line, column, SYNTAX_ERROR.code, message)


def _first_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:120]
