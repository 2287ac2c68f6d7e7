"""Parsing with libcst without letting its native parser take the process down.

libcst's parser is native code that recurses on the C stack: a few thousand nested
brackets or a very long operator chain overflow it and crash the whole run, not just
one file. Two defences, both cheap:

- CPython refuses more than 200 nested brackets ("too many nested parentheses") and gives
  up on absurdly long expressions (RecursionError, MemoryError). A file whose brackets
  could nest deeper, or with a line over 10,000 bytes, is compiled by CPython first; if
  that fails, its error is raised and libcst never sees the file.
- Parsing runs on one long-lived thread per process with a large stack (only the pages it
  touches are committed), so long but valid expressions parse instead of crashing.
"""

from __future__ import annotations

import ast
import os
import queue
import threading

import libcst as cst

MAX_BRACKET_DEPTH = 200
LONG_LINE_BYTES = 10_000
PARSER_STACK_BYTES = 512 * 1024 * 1024
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"()[]{}")))
_OPENING = frozenset(b"([{")


def parse_module(source: bytes) -> cst.Module:
    """``libcst.parse_module(source)``, guarded as the module docstring says."""
    if _may_nest_too_deeply(source) or _has_long_line(source):
        compile(source, "<fixlint>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    return _thread.parse(source)


def _may_nest_too_deeply(source: bytes) -> bool:
    """Could the brackets in ``source`` nest past CPython's limit? (Brackets in strings and
    comments count too; that only costs a ``compile`` for such a file.)"""
    brackets = source.translate(None, _NOT_BRACKETS)
    if len(brackets) <= MAX_BRACKET_DEPTH:
        return False
    depth = 0
    for byte in brackets:
        depth = depth + 1 if byte in _OPENING else max(depth - 1, 0)
        if depth > MAX_BRACKET_DEPTH:
            return True
    return False


def _has_long_line(source: bytes) -> bool:
    return len(source) > LONG_LINE_BYTES and max(map(len, source.splitlines())) > LONG_LINE_BYTES


class _ParserThread:
    """One parsing thread with a large stack, started lazily in each process (a forked
    worker inherits this object but not the thread, hence the pid check)."""

    def __init__(self) -> None:
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._requests: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        self._results: queue.SimpleQueue[cst.Module | BaseException] = queue.SimpleQueue()

    def parse(self, source: bytes) -> cst.Module:
        with self._lock:
            if self._pid != os.getpid():
                self._start()
            self._requests.put(source)
            result = self._results.get()
        if isinstance(result, BaseException):
            raise result
        return result

    def _start(self) -> None:
        self._requests, self._results = queue.SimpleQueue(), queue.SimpleQueue()
        previous = threading.stack_size(PARSER_STACK_BYTES)
        try:
            threading.Thread(target=self._serve, name="fixlint-parser", daemon=True).start()
        finally:
            threading.stack_size(previous)
        self._pid = os.getpid()

    def _serve(self) -> None:
        requests, results = self._requests, self._results
        while True:
            source = requests.get()
            try:
                results.put(cst.parse_module(source))
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller
                results.put(exc)


_thread = _ParserThread()
