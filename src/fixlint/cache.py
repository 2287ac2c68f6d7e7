"""fixlint's cache folder, ``.fixlint_cache/`` at the project root (like ruff's ``.ruff_cache``).

Two stores: the summaries of conftest.py files and plugin modules (``SummaryCache``), and each
checked file's findings (``ResultsCache``), so a second run over an unchanged suite reads and
parses nothing. Both are keyed by file content; a file whose size and modification time are
unchanged is trusted without being read.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fixlint.summary import ModuleSummary

if TYPE_CHECKING:  # the engine imports the project index, which imports this module
    from fixlint.engine import Diagnostic

CACHE_DIR_NAME = ".fixlint_cache"
_TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
# Files whose presence or content can change what a folder's files see: the conftest.py chain,
# pytest's rootdir and configuration, the packaging that declares plugins.
_CONTEXT_FILES = ("conftest.py", "pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg", "setup.py")
# A file changed within this many seconds of being read may change again within the same
# clock tick without its time moving: its result is kept, but checked by content next time.
_RECENT_SECONDS = 2.0


class SummaryCache:
    """Summaries on disk, keyed by each file's content (and fixlint's version and settings).

    A file whose size and modification time are unchanged is not even read again."""

    def __init__(self, directory: Path, salt: str) -> None:
        self.file = directory / f"summaries-{salt}.pickle"
        self.entries: dict[str, tuple[int, int, str, ModuleSummary | None]] = _load(self.file, dict) or {}  # type: ignore[assignment]
        self.dirty = False

    def get(self, path: Path, stat: os.stat_result, digest: str | None = None) -> tuple[bool, ModuleSummary | None]:
        entry = self.entries.get(str(path))
        if entry is None:
            return False, None
        size, mtime, known_digest, summary = entry
        if (size, mtime) == (stat.st_size, stat.st_mtime_ns) or digest == known_digest:
            return True, summary
        return False, None

    def put(self, path: Path, stat: os.stat_result, digest: str, summary: ModuleSummary | None) -> None:
        self.entries[str(path)] = (stat.st_size, stat.st_mtime_ns, digest, summary)
        self.dirty = True

    def save(self) -> None:
        if self.dirty and _save(self.file, self.entries):
            self.dirty = False


@dataclass(frozen=True)
class CachedResult:
    """A file's findings, its state when checked, and the state of everything its check read."""

    size: int
    mtime_ns: int  # -1: changed too recently to trust the time; compare content
    digest: str
    codes: str  # the rules that ran on it (per-file-ignores make them differ per file)
    reads: tuple[tuple[str, str | None], ...]  # (file or dir:<folder>, its digest or signature)
    diagnostics: tuple[Diagnostic, ...]


class ResultsCache:
    """Each file's findings under the current fixlint version and settings (the ``salt``).

    A result stands while the file and everything its check read are unchanged: the
    conftest.py files, plugins and modules whose summaries it used (by content), and for each
    folder whose fixture chain it looked up, that folder's and its parents' conftest.py and
    pytest configuration files (by size and time). A file whose fixes changed it is not kept."""

    def __init__(self, directory: Path, salt: str) -> None:
        self.file = directory / f"results-{salt}.pickle"
        stored = _load(self.file, tuple)
        self.entries: dict[str, CachedResult] = stored[0] if stored else {}  # type: ignore[index]
        # size, time and digest of the files the results read, so they need no reading either
        self.read_files: dict[str, tuple[int, int, str]] = stored[1] if stored else {}  # type: ignore[index]
        self.dirty = False
        self._started = time.time()
        self._states: dict[str, str | None] = {}

    def get(self, path: str, codes: str) -> tuple[Diagnostic, ...] | None:
        """The findings of ``path`` when nothing they depend on changed, else None."""
        entry = self.entries.get(path)
        if entry is None or entry.codes != codes:
            return None
        if self._file_state(path, (entry.size, entry.mtime_ns, entry.digest)) != entry.digest:
            return None
        if any(self.state(read) != token for read, token in entry.reads):
            return None
        return entry.diagnostics

    def put(
        self, path: str, codes: str, facts: tuple[int, int, str, Iterable[str]], diagnostics: Iterable[Diagnostic]
    ) -> None:
        """Remember ``path``'s findings; ``facts``: its size, time and digest when read, and
        what its check read besides it."""
        size, mtime_ns, digest, reads = facts
        recent = mtime_ns / 1e9 > self._started - _RECENT_SECONDS
        states = tuple((read, self.state(read)) for read in sorted(reads))
        self.entries[path] = CachedResult(size, -1 if recent else mtime_ns, digest, codes, states, tuple(diagnostics))
        self.dirty = True

    def state(self, read: str) -> str | None:
        """A file's content digest (None when missing) or, for ``dir:<folder>``, the folder's
        context signature; worked out once per run."""
        if read not in self._states:
            if read.startswith("dir:"):
                self._states[read] = self._folder_signature(Path(read[4:]))
            else:
                self._states[read] = self._file_state(read, self.read_files.get(read), remember=True)
        return self._states[read]

    def _file_state(self, path: str, hint: tuple[int, int, str] | None, remember: bool = False) -> str | None:
        try:
            stat = os.stat(path)
            if hint is not None and (stat.st_size, stat.st_mtime_ns) == hint[:2]:
                return hint[2]
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        except OSError:
            return None
        if remember:
            recent = stat.st_mtime_ns / 1e9 > self._started - _RECENT_SECONDS
            self.read_files[path] = (stat.st_size, -1 if recent else stat.st_mtime_ns, digest)
            self.dirty = True
        return digest

    def _folder_signature(self, folder: Path) -> str:
        parts: list[object] = [str(folder), (folder / ".git").exists()]
        for name in _CONTEXT_FILES:
            parts.append(_stat_key(folder / name))
        parts += [(entry.name, _stat_key(entry)) for entry in sorted(folder.glob("requirements*.txt"))]
        if folder.parent != folder:
            parts.append(self.state(f"dir:{folder.parent}"))
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]

    def save(self) -> None:
        if self.dirty and _save(self.file, (self.entries, self.read_files)):
            self.dirty = False


def _stat_key(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _load(file: Path, kind: type) -> object | None:
    try:
        with file.open("rb") as handle:
            value = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing or damaged cache is an empty one
        return None
    return value if isinstance(value, kind) else None


def _save(file: Path, value: object) -> bool:
    """Write atomically; a cache that cannot be written is simply not kept."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        _mark_cache_dir(file.parent)
        handle, temporary = tempfile.mkstemp(dir=file.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, file)
    except OSError:
        return False
    return True


def is_fixlint_cache(directory: Path) -> bool:
    """A folder fixlint made (its CACHEDIR.TAG says so): the only kind ``fixlint clean`` removes."""
    try:
        tag = (directory / "CACHEDIR.TAG").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return tag.startswith(_TAG_SIGNATURE) and "fixlint" in tag


def remove_caches(start: Path) -> list[Path]:
    """Remove every fixlint cache folder in ``start`` and below; the folders removed."""
    removed: list[Path] = []
    for folder, subfolders, _ in os.walk(start):
        if CACHE_DIR_NAME in subfolders:
            candidate = Path(folder) / CACHE_DIR_NAME
            if is_fixlint_cache(candidate):
                shutil.rmtree(candidate, ignore_errors=True)
                removed.append(candidate)
        subfolders[:] = [name for name in subfolders if name not in (CACHE_DIR_NAME, ".git")]
    return removed


def _mark_cache_dir(directory: Path) -> None:
    """CACHEDIR.TAG (backup tools skip the folder) and a .gitignore of ``*``, like ruff's cache."""
    tag = directory / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(f"{_TAG_SIGNATURE}\n# created by fixlint\n")
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
