"""fixlint's cache folder, ``.fixlint_cache/`` at the project root (like ruff's ``.ruff_cache``)."""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

from fixlint.summary import ModuleSummary

CACHE_DIR_NAME = ".fixlint_cache"


class SummaryCache:
    """Summaries on disk, keyed by each file's content (and fixlint's version and settings).

    A file whose size and modification time are unchanged is not even read again."""

    def __init__(self, directory: Path, salt: str) -> None:
        self.file = directory / f"summaries-{salt}.pickle"
        self.entries: dict[str, tuple[int, int, str, ModuleSummary | None]] = {}
        self.dirty = False
        self._load()

    def _load(self) -> None:
        try:
            with self.file.open("rb") as handle:
                entries = pickle.load(handle)
        except Exception:  # noqa: BLE001 - a missing or damaged cache is an empty one
            return
        if isinstance(entries, dict):
            self.entries = entries

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
        """Write atomically; a cache that cannot be written is simply not kept."""
        if not self.dirty:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            _mark_cache_dir(self.file.parent)
            handle, temporary = tempfile.mkstemp(dir=self.file.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                pickle.dump(self.entries, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.file)
        except OSError:
            return
        self.dirty = False


def _mark_cache_dir(directory: Path) -> None:
    """CACHEDIR.TAG (backup tools skip the folder) and a .gitignore of ``*``, like ruff's cache."""
    tag = directory / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# created by fixlint\n")
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
