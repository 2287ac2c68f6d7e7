"""Reading the corpus: case files, their ``# expect:`` comments and expected fix outputs.

Layout: ``tests/fixtures_corpus/<CODE>/<case>.py`` (or a folder holding a small tree).
Beside a case: ``<case>.fix.py`` is the expected ``--fix`` output and ``<case>.unsafe.py``
the expected ``--fix --unsafe-fixes`` output. A missing ``.fix.py`` means ``--fix`` must
leave the case unchanged; a missing ``.unsafe.py`` means unsafe fixes add nothing.
Near misses are cases named ``ok_*.py``, or files in a folder named ``ok_*``: they must
produce no finding at all. A folder holding a ``pytest.ini`` is a small project of its own
(conftest.py files, sub-packages): its rootdir, as pytest would find it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent / "fixtures_corpus"
EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>FXL\d{3}(?:\s*,\s*FXL\d{3})*)")
OUTPUT_SUFFIXES = (".fix.py", ".unsafe.py")


@dataclass(frozen=True)
class Case:
    path: Path

    @property
    def id(self) -> str:
        return self.path.relative_to(CORPUS).as_posix()

    @property
    def source(self) -> bytes:
        return self.path.read_bytes()

    @property
    def expected(self) -> Counter[tuple[int, str]]:
        found: Counter[tuple[int, str]] = Counter()
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), start=1):
            match = EXPECT.search(line)
            if match:
                found.update((number, code.strip()) for code in match.group("codes").split(","))
        return found

    def _sibling(self, suffix: str) -> Path:
        return self.path.with_name(self.path.name[: -len(".py")] + suffix)

    @property
    def fixed_safe(self) -> bytes:
        path = self._sibling(".fix.py")
        return path.read_bytes() if path.exists() else self.source

    @property
    def fixed_unsafe(self) -> bytes:
        path = self._sibling(".unsafe.py")
        return path.read_bytes() if path.exists() else self.fixed_safe

    @property
    def is_near_miss(self) -> bool:
        """``ok_*.py``, or any file in an ``ok_*`` folder (a near-miss tree)."""
        return any(part.startswith("ok_") for part in self.path.relative_to(CORPUS).parts)


def cases() -> list[Case]:
    return sorted(
        (Case(path) for path in CORPUS.rglob("*.py") if not path.name.endswith(OUTPUT_SUFFIXES)),
        key=lambda case: case.id,
    )
