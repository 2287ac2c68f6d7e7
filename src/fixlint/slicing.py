"""Leaving test functions out before libcst parses a file.

Most of a test module is tests, and no rule reads a test's body: the rules read fixtures,
the module-level statements and classes around them, and the helpers fixtures call.
libcst costs about 8x CPython's parser, and every node it builds is walked again by the
rules, so a file is parsed without its test functions (``def test*`` at module level or
directly in a class, decorators included), each replaced by a one-line marker:

    @pytest.mark.parametrize("x", [1, 2])      ->  _fixlint_gap_0
    def test_sum(x):
        assert x + x == 2 * x

Tests that follow one another (nothing kept between them) share one marker.

On pandas' tests that leaves about a tenth of the text. The slice keeps whole lines and
their columns; ``Slice.lines`` maps its lines back to the file's.

It is found from the text alone (a full tokenizer would cost as much as the parse it
saves): multi-line strings are located first, so that a ``def`` inside one is not taken
for a function, and a function ends at the next code line indented no deeper than its
``def``. Whatever this cannot read with certainty is not left out, and every doubt has a
safe answer: the file is parsed whole (``slice_tests`` returns None) when it has tabs in
indentation, lone carriage returns or a backslash continuation at a gap, when the kept
text names a left-out function, or (checked by the engine after parsing) when a marker is
not a statement where it was put.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, field

MARKER = "_fixlint_gap_"

# Comments and string literals, in one pass: the multi-line strings among them are where a
# line that looks like code is not. (Possessive repeats: no backtracking on long strings.)
_TOKENS = re.compile(
    rb"""
      \#[^\r\n]*
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*+\"\"\"
    | '''(?:[^'\\]|\\.|'(?!''))*+'''
    | "(?:[^"\\\r\n]|\\.)*+"
    | '(?:[^'\\\r\n]|\\.)*+'
    """,
    re.VERBOSE | re.DOTALL,
)
_TEST_DEF = re.compile(rb"^([ ]*)(?:async[ \t]+)?def[ \t]+(test\w*)", re.MULTILINE)
_CLASS = re.compile(rb"^([ ]*)class[ \t]+(\w+)", re.MULTILINE)
_TAB_INDENT = re.compile(rb"^[ ]*\t", re.MULTILINE)
_DECORATOR_HEAD = re.compile(rb"@\s*(\w+(?:\s*\.\s*\w+)*)")
_WORD_TEST = re.compile(rb"\btest\w*")

_MAX_HEADER_LINES = 60


@dataclass(frozen=True)
class Dropped:
    """A test function left out of the slice."""

    name: str
    class_name: str | None  # the class of a method (the innermost, as the fixture model names it)
    decorators: tuple[str, ...]  # each decorator's dotted head as written: "pytest.mark.parametrize"
    marker: str
    span: tuple[int, int]  # its bytes in the file
    signature: bytes  # its header from after the name: ``(self, db):``

    @property
    def parameters(self) -> frozenset[str]:
        """The names its signature binds (worked out when asked: rarely)."""
        return _parameters(self.signature)


@dataclass(frozen=True)
class Slice:
    source: bytes  # the kept lines, with a marker line for each left-out function
    lines: tuple[int, ...]  # slice line (0-based) -> line in the file (1-based)
    markers: frozenset[int]  # slice lines (0-based) that are markers
    dropped: tuple[Dropped, ...]

    def line_in_file(self, line: int) -> int:
        """The file's line for a 1-based slice line."""
        return self.lines[line - 1]


@dataclass
class _Text:
    """The file's lines, and which of them start inside a multi-line string."""

    source: bytes
    starts: list[int]  # offset of each line's first byte
    in_string: set[int]  # 0-based lines that begin inside a string
    _low: dict[int | None, list[int]] = field(default_factory=dict)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def line(self, index: int) -> bytes:
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.source)
        return self.source[self.starts[index] : end]

    def code_lines(self, indent: int | None) -> list[int]:
        """The lines that start code indented at most ``indent`` (any when None), in order."""
        if indent not in self._low:
            self._low[indent] = [
                line
                for match in _code_line(indent).finditer(self.source)
                if (line := self.line_of(match.start())) not in self.in_string
            ]
        return self._low[indent]


def slice_tests(source: bytes, fixture_decorators: frozenset[str]) -> Slice | None:
    """The file without its test functions, or None when nothing can be left out surely.

    A ``test*`` function decorated with a ``fixture_decorators`` name (their last parts:
    ``fixture``) is a fixture and kept; one whose decorator is an alias of such a name is
    caught by the engine after parsing (``Dropped.decorators``)."""
    if not _TEST_DEF.search(source) or _TAB_INDENT.search(source) or MARKER.encode() in source:
        return None
    if b"\r" in source and source.count(b"\r") != source.count(b"\r\n"):
        return None  # lone carriage returns: line numbers would not agree with libcst's
    text = _read(source)
    classes = _classes(text)
    drops: list[tuple[int, int, Dropped]] = []  # (first line, end line exclusive, what)
    taken_until = previous_indent = 0
    for match in _TEST_DEF.finditer(source):
        def_line = text.line_of(match.start())
        if def_line < taken_until or def_line in text.in_string:
            continue
        indent = len(match.group(1))
        owner = _owner(classes, def_line, indent)
        if owner is False:
            continue
        found = _extent(text, def_line, indent)
        if found is None:
            return None
        first, header_end, end = found
        decorators = source[text.starts[first] : text.starts[def_line]]
        heads = tuple(re.sub(rb"\s+", b"", head).decode() for head in _DECORATOR_HEAD.findall(decorators))
        if any(head.rsplit(".", 1)[-1] in fixture_decorators for head in heads):
            continue
        previous = drops[-1][2] if drops else None
        if previous is not None and first == taken_until and previous.class_name == owner and previous_indent == indent:
            marker = previous.marker  # tests one after the other share one marker line
        else:
            marker = f"{MARKER}{len(drops)}"
        previous_indent = indent
        span = (text.starts[first], text.starts[end] if end < len(text.starts) else len(source))
        signature = source[match.end() : text.starts[header_end]] + text.line(header_end)
        name = match.group(2).decode()
        drops.append((first, end, Dropped(name, owner, heads, marker, span, signature)))
        taken_until = end
    if not drops:
        return None
    return _assemble(text, drops)


def _read(source: bytes) -> _Text:
    starts = [0, *itertools.accumulate(map(len, source.splitlines(keepends=True)))]
    if starts[-1] == len(source) and len(starts) > 1:
        starts.pop()
    text = _Text(source, starts, set())
    for match in _TOKENS.finditer(source):
        start, end = match.span()
        if source.find(b"\n", start, end) != -1:
            text.in_string.update(range(text.line_of(start) + 1, text.line_of(end - 1) + 1))
    return text


@dataclass(frozen=True)
class _Class:
    name: str
    line: int  # 0-based line of ``class``
    indent: int
    body_indent: int  # 0 when unknown
    end: int  # 0-based line after the class (exclusive)


def _classes(text: _Text) -> list[_Class]:
    """Every ``class`` statement with its extent and the indentation of its body."""
    found: list[_Class] = []
    for match in _CLASS.finditer(text.source):
        line = text.line_of(match.start())
        if line in text.in_string:
            continue
        indent = len(match.group(1))
        header_end = _header_end(text, line)
        if header_end is None:
            continue
        end = _next_code_line(text, header_end + 1, indent)
        body = _first_code_line(text, header_end + 1)
        body_indent = _indent(text.line(body)) if body < end else 0
        found.append(_Class(match.group(2).decode(), line, indent, body_indent, end))
    return found


def _owner(classes: list[_Class], line: int, indent: int) -> str | None | bool:
    """The class a ``def`` at ``line`` belongs to (None at module level), or False when
    it sits anywhere else (in a function, under ``if``): such a function is kept."""
    if indent == 0:
        return None
    path: list[_Class] = []
    for cls in classes:
        if cls.line < line < cls.end:
            path.append(cls)  # classes come in source order: outermost first
    if not path or path[-1].body_indent != indent:
        return False
    for outer, inner in zip(path, path[1:]):
        if inner.indent != outer.body_indent:
            return False
    if path[0].indent != 0:
        return False
    return path[-1].name


def _extent(text: _Text, def_line: int, indent: int) -> tuple[int, int, int] | None:
    """The lines of the function whose ``def`` is on ``def_line``: its first decorator, the last
    line of its header, and the next code line indented no deeper (where it ends). None when
    it cannot be told surely."""
    header_end = _header_end(text, def_line)
    if header_end is None:
        return None
    end = _next_code_line(text, header_end + 1, indent)
    if text.line(_last_code_line(text, header_end, end)).rstrip().endswith(b"\\"):
        return None  # a continuation line that looks like the next statement
    return _first_decorator(text, def_line, indent), header_end, end


def _first_decorator(text: _Text, def_line: int, indent: int) -> int:
    """The first line of the decorators above ``def_line`` (``def_line`` when there are none):
    going up the lines indented no deeper than the ``def``, decorators and closing brackets."""
    lines = text.code_lines(indent)
    first = def_line
    for position in range(bisect.bisect_left(lines, def_line) - 1, -1, -1):
        line = lines[position]
        stripped = text.line(line).lstrip(b" ")
        if stripped.startswith(b"@") and _indent(text.line(line)) == indent:
            if _balanced(text.source[text.starts[line] : text.starts[first]]):
                first = line
        elif stripped[:1] not in (b")", b"]", b"}"):
            break
    return first


def _header_end(text: _Text, line: int) -> int | None:
    """The line ending the ``def``/``class`` header that starts on ``line`` (brackets closed)."""
    depth = 0
    for current in range(line, min(line + _MAX_HEADER_LINES, len(text.starts))):
        code = _TOKENS.sub(b"", text.line(current))
        depth += _depth_change(code)
        if depth <= 0 and b":" in code:
            return current
    return None


def _parameters(header: bytes) -> frozenset[str]:
    """The parameter names in a ``def`` header from after the function's name: the leading name
    of each comma-separated part inside the outermost brackets."""
    code = _TOKENS.sub(b"", header)
    names: set[str] = set()
    depth, part = 0, bytearray()
    for byte in code:
        if byte in b"([{":
            depth += 1
            if depth == 1:
                continue
        elif byte in b")]}":
            depth -= 1
            if depth == 0:
                break
        if depth == 1 and byte == ord(","):
            names.update(_leading_name(bytes(part)))
            part.clear()
        elif depth >= 1:
            part.append(byte)
    names.update(_leading_name(bytes(part)))
    return frozenset(names)


def _leading_name(part: bytes) -> list[str]:
    match = re.match(rb"\s*\*{0,2}\s*(\w+)", part)
    return [match.group(1).decode()] if match else []


def _balanced(code: bytes) -> bool:
    return _depth_change(_TOKENS.sub(b"", code)) == 0


def _depth_change(code: bytes) -> int:
    """Brackets opened minus brackets closed (strings and comments already removed)."""
    return sum(map(code.count, (b"(", b"[", b"{"))) - sum(map(code.count, (b")", b"]", b"}")))


def _next_code_line(text: _Text, line: int, indent: int | None) -> int:
    """The first line from ``line`` on that starts code indented at most ``indent`` (any
    indentation when None), outside strings; the line count when there is none."""
    lines = text.code_lines(indent)
    position = bisect.bisect_left(lines, line)
    return lines[position] if position < len(lines) else len(text.starts)


def _first_code_line(text: _Text, line: int) -> int:
    """The first line from ``line`` on that starts code, at any indentation."""
    pattern = _code_line(None)
    position = text.starts[line] if line < len(text.starts) else len(text.source)
    while (match := pattern.search(text.source, position)) is not None:
        found = text.line_of(match.start())
        if found not in text.in_string:
            return found
        position = match.end()
    return len(text.starts)


@functools.cache
def _code_line(indent: int | None) -> re.Pattern[bytes]:
    spaces = "*" if indent is None else "{0,%d}" % indent
    return re.compile(rb"^[ ]" + spaces.encode() + rb"[^ \t\r\n#\f]", re.MULTILINE)


def _indent(line: bytes) -> int:
    return len(line) - len(line.lstrip(b" "))


def _assemble(text: _Text, drops: list[tuple[int, int, Dropped]]) -> Slice | None:
    """The kept lines and markers, or None when the kept text names a left-out function."""
    pieces: list[bytes] = []
    lines: list[int] = []
    markers: set[int] = set()
    position = 0
    count = len(text.starts)
    for number, (first, end, dropped) in enumerate(drops):
        last_line = max(first + 1, _last_code_line(text, first, end) + 1)
        if number and first == position and dropped.marker == drops[number - 1][2].marker:
            lines[-1] = last_line  # the shared marker stands for this test too
            position = end
            continue
        pieces.append(text.source[text.starts[position] : text.starts[first]] if position < first else b"")
        lines.extend(range(position + 1, first + 1))
        def_line = text.line(first)
        newline = b"\r\n" if def_line.endswith(b"\r\n") else b"\n"
        markers.add(len(lines))
        pieces.append(b" " * _indent(def_line) + dropped.marker.encode() + newline)
        lines.append(last_line)
        position = end
    if position < count:
        pieces.append(text.source[text.starts[position] :])
        lines.extend(range(position + 1, count + 1))
    kept = b"".join(pieces)
    names = {dropped.name.encode() for _, _, dropped in drops}
    if names & set(_WORD_TEST.findall(_TOKENS.sub(_drop_comment, kept))):
        return None
    return Slice(kept, tuple(lines), frozenset(markers), tuple(dropped for _, _, dropped in drops))


def _drop_comment(match: re.Match[bytes]) -> bytes:
    return b"" if match.group().startswith(b"#") else match.group()


def _last_code_line(text: _Text, first: int, end: int) -> int:
    """The last non-blank line before ``end``, not before ``first``."""
    last = end - 1
    while last > first and not text.line(last).strip():
        last -= 1
    return last
