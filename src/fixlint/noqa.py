"""``# noqa`` comments, read the way flake8 and ruff read them."""

from __future__ import annotations

import re

# flake8's syntax: ``# noqa`` alone suppresses everything on the line; ``# noqa: A1, B2``
# suppresses those codes (and codes they are a prefix of).
_LINE = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.IGNORECASE)
_FILE = re.compile(
    rb"^[ \t]*#[ \t]*fixlint[ \t]*:[ \t]*noqa(?:[ \t]*:[ \t]*(?P<codes>[A-Z]+[0-9]*(?:[ \t,]+[A-Z]+[0-9]*)*))?[ \t]*\r?$",
    re.IGNORECASE | re.MULTILINE,
)
_SPLIT = re.compile(r"[,\s]+")

ALL = frozenset({"*"})


def line_noqa(line: str) -> frozenset[str] | None:
    """The codes a line's noqa comment names: ``ALL`` for a bare noqa, None without one."""
    if "noqa" not in line.lower():
        return None
    match = _LINE.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    if not codes:
        return ALL
    return frozenset(code.upper() for code in _SPLIT.split(codes.strip()) if code)


def is_suppressed(code: str, codes: frozenset[str] | None) -> bool:
    if codes is None:
        return False
    return codes is ALL or code.startswith(tuple(codes))


def file_noqa(source: bytes) -> frozenset[str] | None:
    """``# fixlint: noqa`` on a line of its own: an empty set (skip the file), or the codes it names."""
    if b"noqa" not in source:
        return None
    codes: set[str] = set()
    for match in _FILE.finditer(source):
        if not match.group("codes"):
            return frozenset()
        codes.update(code.decode().upper() for code in re.split(rb"[,\s]+", match.group("codes").strip()) if code)
    return frozenset(codes) if codes else None
