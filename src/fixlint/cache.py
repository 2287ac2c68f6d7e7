"""fixlint's cache folder, ``.fixlint_cache/`` at the project root (like ruff's ``.ruff_cache``).

Two stores: the summaries of conftest.py files and plugin modules (``SummaryCache``), and each
checked file's findings (``ResultsCache``), so a second run over an unchanged suite reads and
parses nothing. Both are keyed by file content; a file whose size and modification time are
unchanged is trusted without being read, unless it changed just before it was read.

The stores are pickles, and unpickling runs code: each file is signed with a key private to
the user (``~/.cache/fixlint/key``), and one that does not carry the signature (a cache
committed to a repository by someone else, a damaged file) is ignored, never loaded.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a run of cache hits imports neither (nor libcst)
    from fixlint.report import Diagnostic
    from fixlint.summary import ModuleSummary

CACHE_DIR_NAME = ".fixlint_cache"
_FORMAT = 2  # in the file names: a new layout never meets an old file
_TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
# A file changed within this many seconds before a run started (or during it) may change
# again within the same clock tick without its time moving: it is compared by content.
_RECENT_SECONDS = 2.0

# What a file was when read: size, modification time (-1: too recent to trust) and digest.
FileState = tuple[int, int, str]
# What a check read besides its file, and what each was then (see ``ResultsCache.state``).
Reads = tuple[tuple[str, "str | None"], ...]


class _Store:
    """One signed pickle file and the start of the run that uses it."""

    def __init__(self, directory: Path, name: str, empty: object) -> None:
        self.file = directory / f"{name}-v{_FORMAT}.pickle"
        self.started = time.time()
        loaded = _load(self.file)
        self.value = loaded if type(loaded) is type(empty) else empty
        self.dirty = False

    def trusted_mtime(self, mtime_ns: int) -> int:
        return -1 if self.is_recent(mtime_ns) else mtime_ns

    def is_recent(self, mtime_ns: int) -> bool:
        return mtime_ns / 1e9 > self.started - _RECENT_SECONDS

    def save(self) -> None:
        if self.dirty and _save(self.file, self.value):
            self.dirty = False


class SummaryCache(_Store):
    """Summaries on disk, keyed by each file's content (and fixlint's version and settings)."""

    def __init__(self, directory: Path, salt: str) -> None:
        super().__init__(directory, f"summaries-{salt}", {})
        self.entries: dict[str, tuple[int, int, str, ModuleSummary | None]] = self.value  # type: ignore[assignment]

    def get(self, path: Path, stat: os.stat_result, digest: str | None = None) -> tuple[bool, ModuleSummary | None]:
        try:
            size, mtime, known_digest, summary = self.entries[str(path)]
        except (KeyError, TypeError, ValueError):
            return False, None
        if (size, mtime) == (stat.st_size, stat.st_mtime_ns) or digest == known_digest:
            return True, summary
        return False, None

    def put(self, path: Path, stat: os.stat_result, digest: str, summary: ModuleSummary | None) -> None:
        self.entries[str(path)] = (stat.st_size, self.trusted_mtime(stat.st_mtime_ns), digest, summary)
        self.dirty = True


@dataclass(frozen=True)
class CachedResult:
    """A file's findings, its state when checked, and the state of everything its check read."""

    state: FileState
    codes: str  # the rules that ran on it (per-file-ignores make them differ per file)
    reads: Reads
    diagnostics: tuple[Diagnostic, ...]


class ResultsCache(_Store):
    """Each file's findings under the current fixlint version and settings (the ``salt``).

    A result stands while the file and everything its check read (``ProjectIndex.reading``)
    are as they were: each file by content (a missing one stays missing), each listing the
    same. A file whose fixes changed it is not kept, nor a result whose inputs changed while
    it was worked out."""

    def __init__(self, directory: Path, salt: str) -> None:
        super().__init__(directory, f"results-{salt}", ({}, {}))
        # the results, and what the files they read were like, so those need no reading either
        self.entries: dict[str, CachedResult] = self.value[0]  # type: ignore[index]
        self.read_files: dict[str, FileState] = self.value[1]  # type: ignore[index]
        self._states: dict[str, str | None] = {}
        self._changing: set[str] = set()  # reads that changed just before or during this run
        # Files in one folder read the same conftest.py chain: each distinct list of reads is
        # checked once per run, and stored once (``put`` shares equal lists).
        self._reads: dict[Reads, bool] = {}
        self._shared: dict[Reads, Reads] = {}

    def get(self, path: str, codes: str) -> tuple[Diagnostic, ...] | None:
        """The findings of ``path`` when nothing they depend on changed, else None."""
        entry = self.entries.get(path)
        try:
            if entry is None or entry.codes != codes:
                return None
            now = self._file_state(path, entry.state)
            if now is None or now[2] != entry.state[2]:
                return None
            if not self._current(entry.reads):
                return None
        except (AttributeError, TypeError, ValueError, IndexError):  # an entry of another shape: a miss
            return None
        if now != entry.state:  # same content, and its time can be trusted now
            self.entries[path] = replace(entry, state=now)
            self.dirty = True
        return entry.diagnostics

    def _current(self, reads: Reads) -> bool:
        """Is every read as it was?"""
        if reads not in self._reads:
            self._reads[reads] = all(self.state(read) == known for read, known in reads)
        return self._reads[reads]

    def put(self, path: str, codes: str, state: FileState, reads: Iterable[str], diagnostics: Iterable[Diagnostic]) -> None:
        """Remember ``path``'s findings; ``state`` is the file as the check read it."""
        states = tuple((sys.intern(read), self.state(read)) for read in sorted(reads))  # pickled once each
        if any(read in self._changing for read, _ in states):
            return  # what the check read may not be what is on disk now
        states = self._shared.setdefault(states, states)
        size, mtime_ns, digest = state
        self.entries[path] = CachedResult((size, self.trusted_mtime(mtime_ns), digest), codes, states, tuple(diagnostics))
        self.dirty = True

    def state(self, read: str) -> str | None:
        """What ``read`` is now, once per run: a file's content digest (None when missing),
        for ``?<path>`` whether it exists, for ``glob:<folder><tab><pattern>`` the names it matches."""
        if read not in self._states:
            if read.startswith("?"):
                self._states[read] = "exists" if os.path.exists(read[1:]) else None
            elif read.startswith("glob:"):
                folder, pattern = read[5:].rsplit("\t", 1)
                self._states[read] = "\n".join(sorted(map(str, Path(folder).glob(pattern))))
            else:
                known = self.read_files.get(read)
                now = self._file_state(read, known)
                if now is not None and now != known:
                    self.read_files[read] = now
                    self.dirty = True
                self._states[read] = now[2] if now is not None else None
        return self._states[read]

    def _file_state(self, path: str, known: FileState | None) -> FileState | None:
        """``path`` as (size, time, digest), read only when its size and time are not those
        ``known`` holds; None when it cannot be read."""
        try:
            stat = os.stat(path)
            if known is not None and (stat.st_size, stat.st_mtime_ns) == known[:2]:
                return known
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        except OSError:
            return None
        if self.is_recent(stat.st_mtime_ns):
            self._changing.add(path)
        return stat.st_size, self.trusted_mtime(stat.st_mtime_ns), digest


def _signing_key() -> bytes | None:
    """The user's key for signing cache files, made on first use; None when it cannot be."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fixlint"
    key_file = home / "key"
    try:
        return key_file.read_bytes()
    except OSError:
        pass
    try:
        home.mkdir(parents=True, exist_ok=True)
        import tempfile  # here, like the other imports only writing needs: quick cache hits

        handle, temporary = tempfile.mkstemp(dir=home)
        with os.fdopen(handle, "wb") as out:
            out.write(os.urandom(32))
        os.replace(temporary, key_file)
        return key_file.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: no home directory at all
        return None


def _load(file: Path) -> object | None:
    """What ``file`` holds, when it carries our signature; None for anything else."""
    key = _signing_key()
    try:
        data = file.read_bytes()
    except OSError:
        return None
    signature, payload = data[:32], data[32:]
    if key is None or not hmac.compare_digest(signature, hmac.digest(key, payload, "sha256")):
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # noqa: BLE001 - ours but unreadable (another Python): an empty store
        return None


def _save(file: Path, value: object) -> bool:
    """Write signed and atomically; a cache that cannot be written is simply not kept."""
    key = _signing_key()
    if key is None:
        return False
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    temporary = None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        _mark_cache_dir(file.parent)
        import tempfile

        handle, temporary = tempfile.mkstemp(dir=file.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(hmac.digest(key, payload, "sha256") + payload)
        os.replace(temporary, file)
        temporary = None
    except OSError:
        return False
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
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
    import shutil

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
