"""Leaving tests out before parsing must never change a finding.

Every check here compares the engine on a slice with the engine on the whole file
(``slicing=False``): same findings at the same places, same messages, same fix edits.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from corpus import CORPUS, OUTPUT_SUFFIXES
from fixlint.engine import check_source
from fixlint.model import decorator_last_names
from fixlint.project import ProjectIndex
from fixlint.rules import ALL_RULES
from fixlint.slicing import slice_tests
from fixlint.summary import summary_of_source

DEFAULT_RULES = [rule for rule in ALL_RULES if rule.default]
CORPUS_FILES = sorted(path for path in CORPUS.rglob("*.py") if not path.name.endswith(OUTPUT_SUFFIXES))
FIXTURE_NAMES = decorator_last_names(())


def _both(source: str | bytes, path: Path) -> tuple[list, list]:
    data = source.encode() if isinstance(source, str) else source
    path.write_bytes(data)
    reports = [
        check_source(data, str(path), DEFAULT_RULES, project=ProjectIndex(installed_plugins=()), slicing=slicing)
        for slicing in (True, False)
    ]
    for report in reports:
        assert report.error is None, report.error
    return reports[0].diagnostics, reports[1].diagnostics


def _sliced(source: str) -> bytes:
    found = slice_tests(textwrap.dedent(source).encode(), FIXTURE_NAMES)
    assert found is not None
    return found.source


MODULE = '''\
import pytest


def connect():
    return object()


@pytest.fixture
def db():
    conn = connect()
    conn.seed()
    yield conn
    conn.close()


@pytest.mark.parametrize(
    "value",
    [1, 2],
)
def test_values(db, value):
    """A docstring."""
    assert value


class TestGroup:
    @pytest.fixture(scope="class")
    def shared(self):
        yield []

    def test_one(self, shared):
        assert shared == []

    @pytest.mark.skip
    def test_two(self, shared):
        text = """
def test_inside_a_string():
    pass
"""
        assert text
'''


def test_a_slice_keeps_fixtures_and_helpers_and_leaves_tests_out() -> None:
    sliced = slice_tests(MODULE.encode(), FIXTURE_NAMES)
    assert sliced is not None
    text = sliced.source.decode()
    assert "def db():" in text and "def connect():" in text and "def shared(self):" in text
    assert "test_values" not in text and "test_one" not in text and "test_two" not in text
    assert "parametrize" not in text and "test_inside_a_string" not in text
    assert [(d.name, d.class_name, d.decorators) for d in sliced.dropped] == [
        ("test_values", None, ("pytest.mark.parametrize",)),
        ("test_one", "TestGroup", ()),
        ("test_two", "TestGroup", ("pytest.mark.skip",)),
    ]
    assert sliced.dropped[0].parameters == {"db", "value"}
    lines = MODULE.splitlines()
    for number, line in enumerate(text.splitlines(), start=1):
        if number - 1 not in sliced.markers:
            assert lines[sliced.line_in_file(number) - 1] == line


def test_tests_one_after_another_share_one_marker() -> None:
    """Fewer statements for libcst: a run of tests with nothing kept between them is one
    marker; a kept helper, a class boundary or another indentation starts a new one."""
    source = textwrap.dedent(
        """\
        import pytest


        def test_a():
            pass


        # a comment between tests
        def test_b():
            pass


        def helper():
            return 1


        def test_c():
            pass


        class TestD:
            def test_d1(self):
                pass

            def test_d2(self):
                pass


        def test_e():
            pass
        """
    )
    sliced = slice_tests(source.encode(), FIXTURE_NAMES)
    assert sliced is not None
    assert [d.marker.rsplit("_", 1)[1] for d in sliced.dropped] == ["0", "0", "2", "3", "3", "5"]
    text = sliced.source.decode()
    assert [line.strip() for line in text.splitlines() if "_fixlint_gap_" in line] == [
        "_fixlint_gap_0", "_fixlint_gap_2", "_fixlint_gap_3", "_fixlint_gap_5"
    ]
    lines = source.splitlines()
    for number, line in enumerate(text.splitlines(), start=1):  # kept lines map back exactly
        if number - 1 not in sliced.markers:
            assert lines[sliced.line_in_file(number) - 1] == line
    assert "def helper():" in text and "class TestD:" in text


def test_findings_in_a_sliced_file_are_those_of_the_whole_file(tmp_path: Path) -> None:
    sliced, whole = _both(MODULE, tmp_path / "test_module.py")
    assert [d.code for d in whole] == ["FXL201", "FXL304"]
    assert sliced == whole


@pytest.mark.parametrize(
    "source",
    [
        # A fixture function called directly from a test (FXL402 reads the tests).
        """
        import pytest

        @pytest.fixture
        def user():
            return {"name": "a"}

        def test_user():
            assert user()["name"] == "a"
        """,
        # A factory fixture's value called in a test: the parameter shadows the fixture.
        """
        import pytest

        @pytest.fixture
        def make_user():
            return dict

        def test_user(make_user):
            assert make_user() == {}
        """,
        # A test named test* that is a fixture through an alias of pytest.fixture.
        """
        import pytest

        fx = pytest.fixture

        @fx
        def test_data():
            conn = open("x")
            conn.read()
            yield conn
            conn.close()
        """,
        # A class-scoped fixture outside any class: shared only if a class's test requests it.
        """
        import pytest

        @pytest.fixture(scope="class")
        def cache():
            return {}

        class TestCache:
            def test_empty(self, cache):
                assert cache == {}
        """,
        # request.node.addfinalizer in a fixture parametrized indirectly by a test.
        """
        import pytest

        @pytest.fixture(scope="module")
        def backend(request):
            request.node.addfinalizer(lambda: None)
            return request.param

        @pytest.mark.parametrize("backend", ["a", "b"], indirect=True)
        def test_backend(backend):
            assert backend
        """,
        # A helper named like a test, called by a fixture.
        """
        import pytest

        def test_helper():
            yield 1

        @pytest.fixture
        def value():
            yield from test_helper()
        """,
    ],
    ids=["called-in-test", "factory-parameter", "alias-fixture", "class-scope", "indirect", "helper-named-test"],
)
def test_findings_agree_where_rules_look_at_tests(source: str, tmp_path: Path) -> None:
    sliced, whole = _both(textwrap.dedent(source), tmp_path / "test_case.py")
    assert sliced == whole


def test_a_def_inside_a_string_is_not_a_function() -> None:
    text = _sliced(
        '''
        CODE = """
        def test_in_string():
            pass
        """

        def test_real():
            pass
        '''
    ).decode()
    assert "def test_in_string" in text and "def test_real" not in text


@pytest.mark.parametrize(
    "source",
    [
        "def test_x():\n\tpass\n",  # tabs in indentation
        "def test_x():\r    pass\r",  # lone carriage returns
        "def test_x():\n    x = 1 + \\\n2\n",  # a continuation line that looks like a statement
        "import pytest\n\ndef test_x():\n    pass\n\nCHECKS = [test_x]\n",  # kept code names a test
    ],
    ids=["tabs", "lone-cr", "backslash", "named-elsewhere"],
)
def test_what_the_text_scan_cannot_be_sure_of_is_parsed_whole(source: str) -> None:
    assert slice_tests(source.encode(), FIXTURE_NAMES) is None


def test_a_misread_gap_falls_back_to_the_whole_file(tmp_path: Path) -> None:
    """A ``def`` at the start of a line inside a one-line string's continuation is not a
    function: if the scan took it for one, the parse or the marker check must catch it."""
    source = 'import pytest\n\nX = "a\\\ndef test_x():\\\n    pass"\n\n@pytest.fixture\ndef f():\n    yield open("x")\n'
    sliced, whole = _both(source, tmp_path / "test_odd.py")
    assert sliced == whole


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.relative_to(CORPUS).as_posix())
def test_every_corpus_file_gives_the_same_findings_sliced_or_whole(path: Path) -> None:
    rules = [rule for rule in ALL_RULES if rule.default or rule.code in path.parts]
    reports = [
        check_source(path.read_bytes(), str(path), rules, project=ProjectIndex(installed_plugins=()), slicing=slicing)
        for slicing in (True, False)
    ]
    assert reports[0].diagnostics == reports[1].diagnostics
    assert reports[0].error == reports[1].error


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.relative_to(CORPUS).as_posix())
def test_every_corpus_file_offers_other_files_the_same_summary_sliced_or_whole(path: Path) -> None:
    """A test module that other modules import fixtures from is summarized from its slice."""
    source = path.read_bytes()
    assert summary_of_source(str(path), source) == summary_of_source(str(path), source, slicing=False)


def test_a_summary_keeps_a_decorated_test_that_may_be_a_fixture() -> None:
    source = textwrap.dedent(
        """\
        import pytest
        from helpers import wrap

        @pytest.fixture
        def db():
            yield 1

        @wrap
        def test_like():
            pass

        def test_plain(db):
            assert db
        """
    ).encode()
    assert slice_tests(source, FIXTURE_NAMES) is not None
    summary = summary_of_source("test_mod.py", source)
    assert summary == summary_of_source("test_mod.py", source, slicing=False)
    assert summary is not None and [d.name for d in summary.fixtures] == ["db"]
    assert "test_like" in summary.maybe and "test_plain" not in summary.maybe
