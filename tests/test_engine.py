"""The engine on one source text: recognition, noqa, and byte-faithful fixes."""

from __future__ import annotations

import pytest

from fixlint.engine import check_source
from fixlint.rules import ALL_RULES
from test_cli import LEAKY, LEAKY_FIXED


def _codes(source: str | bytes) -> list[tuple[int, str]]:
    data = source.encode() if isinstance(source, str) else source
    return [(d.line, d.code) for d in check_source(data, "conftest.py", ALL_RULES).diagnostics]


@pytest.mark.parametrize(
    ("imports", "decorator"),
    [
        ("import pytest", "@pytest.fixture"),
        ("import pytest", "@pytest.fixture(scope='module')"),
        ("import pytest as pt", "@pt.fixture()"),
        ("from pytest import fixture", "@fixture"),
        ("from pytest import fixture as fx", "@fx(autouse=True)"),
        ("import pytest_asyncio", "@pytest_asyncio.fixture"),
    ],
)
def test_fixtures_are_recognised_through_aliases(imports: str, decorator: str) -> None:
    source = LEAKY.replace("import pytest", imports).replace("@pytest.fixture", decorator)
    assert _codes(source) == [(6, "FXL201")]


@pytest.mark.parametrize(
    ("module_lines", "decorator", "scope", "autouse"),
    [
        ('SCOPE = "session"', "@pytest.fixture(scope=SCOPE)", "session", False),
        ('session_fixture = pytest.fixture(scope="session")', "@session_fixture", "session", False),
        ('module_fixture = pytest.fixture(scope="module")', "@module_fixture(autouse=True)", "module", True),
        ('setup = functools.partial(pytest.fixture, scope="class", autouse=True)', "@setup", "class", True),
        ("plain = pytest.fixture", "@plain", "function", False),
        ('SCOPE = "session"\nSCOPE = "module"', "@pytest.fixture(scope=SCOPE)", None, False),
        ("", "@pytest.fixture(scope=choose_scope)", None, False),
    ],
)
def test_scope_and_autouse_are_read_through_constants_and_decorator_aliases(
    module_lines: str, decorator: str, scope: str | None, autouse: bool
) -> None:
    """A constant bound twice, or a callable scope, is not a literal: the scope is unknown."""
    import libcst as cst

    from fixlint.imports import build_import_table
    from fixlint.model import build_fixtures

    source = f"import functools\nimport pytest\n{module_lines}\n\n{decorator}\ndef db():\n    return 1\n"
    module = cst.parse_module(source)
    [fixture] = build_fixtures(module, build_import_table(module))
    assert (fixture.name, fixture.scope, fixture.autouse) == ("db", scope, autouse)


def test_a_decorator_that_is_not_pytests_is_not_a_fixture() -> None:
    source = LEAKY.replace("import pytest", "from mylib import fixture").replace("@pytest.fixture", "@fixture")
    assert _codes(source) == []


@pytest.mark.parametrize(
    ("comment", "reported"),
    [
        ("  # noqa", False),
        ("  # noqa: FXL201", False),
        ("  # noqa:FXL2", False),
        ("  # NOQA: FXL201, FXL101", False),
        ("  # noqa: FXL101", True),
        ("  # not a noqa comment", True),
    ],
)
def test_line_noqa(comment: str, reported: bool) -> None:
    source = LEAKY.replace("conn = connect()", f"conn = connect(){comment}")
    assert bool(_codes(source)) is reported


@pytest.mark.parametrize(("header", "reported"), [("# fixlint: noqa", False), ("# fixlint: noqa: FXL2", False),
                                                  ("# fixlint: noqa: FXL1", True)])
def test_file_noqa(header: str, reported: bool) -> None:
    assert bool(_codes(f"{header}\n{LEAKY}")) is reported


def test_noqa_stops_the_fix_too() -> None:
    source = LEAKY.replace("conn = connect()", "conn = connect()  # noqa: FXL201").encode()
    assert check_source(source, "conftest.py", ALL_RULES, fix=True).fixed is None


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode(), id="utf-8"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode(), id="bom"),
        pytest.param(lambda text: ("# -*- coding: latin-1 -*-\n" + text.replace("import pytest", "import pytest  # café"))
                     .encode("latin-1"), id="latin-1"),
    ],
)
def test_fixes_keep_encoding_bom_and_newlines(encode) -> None:
    report = check_source(encode(LEAKY), "conftest.py", ALL_RULES, fix=True)
    assert report.error is None
    expected = encode(LEAKY_FIXED)
    assert report.fixed == expected


def test_files_without_fixtures_are_not_parsed() -> None:
    # Not valid Python, but nothing in it can be a fixture: the prefilter skips it.
    assert _codes("def broken(:\n") == []
    assert _codes("import pytest\n@pytest.fixture\ndef broken(:\n") == [(3, "FXL001")]


@pytest.mark.parametrize(
    "source",
    [
        b"",
        b"\x00\x01fixture\xff",
        b"fixture = 1\n\tif x:\n",
        "fixture = 'é'".encode("utf-16"),
        # libcst's native parser overflows the C stack on a few thousand nested brackets.
        b"import pytest\n@pytest.fixture\ndef f():\n    x = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n",
    ],
)
def test_hostile_input_is_a_finding_not_a_crash(source: bytes) -> None:
    report = check_source(source, "x.py", ALL_RULES, fix=True)
    assert report.error is None
    assert all(d.code == "FXL001" for d in report.diagnostics)


def test_a_fix_that_would_not_parse_is_an_error_and_writes_nothing(monkeypatch, tmp_path) -> None:
    import fixlint.engine
    from fixlint.cli import main
    from fixlint.fixes import Edit

    monkeypatch.setattr(fixlint.engine, "edit_for", lambda module, text, fix: Edit(0, 0, "def ("))
    report = check_source(LEAKY.encode(), "conftest.py", ALL_RULES, fix=True)
    assert report.fixed is None
    assert "does not parse" in (report.error or "")

    target = tmp_path / "conftest.py"
    target.write_text(LEAKY)
    assert main(["check", "--fix", str(target)]) == 2
    assert target.read_text() == LEAKY


def test_fixes_from_several_rules_in_one_fixture_settle() -> None:
    source = """\
import pytest


@pytest.fixture
def pair():
    a = open_a()
    b = open_b()
    yield a, b
    b.close()
    a.close()
"""
    report = check_source(source.encode(), "conftest.py", ALL_RULES, fix=True)
    assert report.error is None and report.fixed is not None
    assert check_source(report.fixed, "conftest.py", ALL_RULES, fix=True).fixed is None
    # Both FXL201 and FXL202 are reported; FXL201's fix also isolates the releases, so the
    # FXL202 finding is gone after one fix and only one fix is counted as applied.
    assert sorted(d.code for d in check_source(source.encode(), "conftest.py", ALL_RULES).diagnostics) == [
        "FXL201", "FXL202"]
    assert [d.code for d in report.applied] == ["FXL201"]
    assert report.fixed.decode() == """\
import pytest


@pytest.fixture
def pair():
    a = open_a()
    try:
        b = open_b()
        yield a, b
        b.close()
    finally:
        a.close()
"""


def test_brackets_inside_strings_do_not_stop_the_check() -> None:
    deep_text = "(" * 300
    source = LEAKY.replace("seed(conn)", f"seed(conn, {deep_text!r})")
    assert _codes(source) == [(6, "FXL201")]


def test_noqa_is_read_from_the_reported_line_after_a_form_feed() -> None:
    source = "import pytest\n\x0c\n" + LEAKY.replace("import pytest\n", "").replace(
        "conn = connect()", "conn = connect()  # noqa: FXL201")
    assert _codes(source) == []
    assert check_source(source.encode(), "conftest.py", ALL_RULES, fix=True).fixed is None


def test_one_edit_that_fixes_several_findings_counts_for_each() -> None:
    source = b"""\
from pytest import yield_fixture


@yield_fixture
def a():
    yield 1


@yield_fixture
def b():
    yield 2
"""
    report = check_source(source, "conftest.py", ALL_RULES, fix=True)
    assert report.fixed is not None and b"yield_fixture" not in report.fixed
    assert [d.code for d in report.applied] == ["FXL208", "FXL208"]
