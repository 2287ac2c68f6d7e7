"""Which files to check: directories walked, excluded and .gitignore'd paths skipped.

Like ruff, a file named explicitly on the command line is checked even when an
exclude pattern matches it, unless ``--force-exclude`` is given (for pre-commit,
which passes every staged file by name).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pathspec

from fixlint.config import Settings


def discover(paths: list[Path], settings: Settings, *, force_exclude: bool = False) -> Iterator[Path]:
    """Every Python file to check under ``paths``, each once, in a stable order."""
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            found = _walk(path, settings)
        elif force_exclude and (settings.is_excluded(path) or _gitignored(path, settings.root)):
            found = iter(())
        else:
            found = iter([path])
        for file in found:
            key = os.path.abspath(file)
            if key not in seen:
                seen.add(key)
                yield file


def _walk(top: Path, settings: Settings) -> Iterator[Path]:
    """Walk ``top``, skipping what exclude patterns and .gitignore files name below it.

    A directory the user names is walked even if it sits under an excluded or ignored one
    (``fixlint check build/pkg/tests``): patterns are then matched from ``top`` down only.
    """
    ignores = _inherited_gitignores(top, settings.root)
    base = top if settings.is_excluded(top, is_dir=True) else None
    if _ignored(top, ignores, is_dir=True):
        ignores = []
    for directory, dirnames, filenames in os.walk(top, followlinks=False):
        here = Path(directory)
        spec = _read_gitignore(here)
        if spec is not None:
            ignores = [*[(base, s) for base, s in ignores if _is_within(here, base)], (here, spec)]
        else:
            ignores = [(base, s) for base, s in ignores if _is_within(here, base)]
        # Each pattern set sees a name here as <this folder, relative to its base>/<name>:
        # worked out once per folder, not once per file.
        patterns = [(_prefix(settings.relative(here, base)), settings.exclude_spec)]
        patterns += [(_prefix(here.absolute().relative_to(where.absolute()).as_posix()), s) for where, s in ignores]
        dirnames[:] = [
            name for name in sorted(dirnames)
            if not any(s.match_file(f"{prefix}{name}/") for prefix, s in patterns)
        ]
        for name in sorted(filenames):
            if not name.endswith(".py") or any(s.match_file(prefix + name) for prefix, s in patterns):
                continue
            if os.path.isfile(os.path.join(directory, name)):
                yield here / name


def _prefix(relative_folder: str) -> str:
    """What goes before a name in this folder ("." is the base folder itself)."""
    return "" if relative_folder == "." else relative_folder + "/"


def _read_gitignore(directory: Path) -> pathspec.PathSpec | None:
    try:
        lines = (directory / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(line for line in lines if _valid_pattern(line))


def _valid_pattern(line: str) -> bool:
    """Git skips a pattern it cannot read (a lone ``!``); so do we, instead of failing the run."""
    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except ValueError:  # pathspec's GitIgnorePatternError
        return False
    return True


def _inherited_gitignores(top: Path, root: Path) -> list[tuple[Path, pathspec.PathSpec]]:
    """.gitignore files above ``top``, up to the git repository's root or the project root."""
    found: list[tuple[Path, pathspec.PathSpec]] = []
    for parent in top.absolute().parents:
        spec = _read_gitignore(parent)
        if spec is not None:
            found.insert(0, (parent, spec))
        if (parent / ".git").exists() or parent == root:
            return found
    return found


def _gitignored(path: Path, root: Path) -> bool:
    directory = path.absolute().parent
    ignores = _inherited_gitignores(directory / "_", root)
    return _ignored(path, ignores, is_dir=False)


def _ignored(path: Path, ignores: list[tuple[Path, pathspec.PathSpec]], *, is_dir: bool) -> bool:
    for base, spec in ignores:
        relative = path.absolute().relative_to(base.absolute()).as_posix()
        if spec.match_file(relative + ("/" if is_dir else "")):
            return True
    return False


def _is_within(path: Path, base: Path) -> bool:
    return path == base or base in path.parents

