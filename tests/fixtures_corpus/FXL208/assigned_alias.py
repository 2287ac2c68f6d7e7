"""A module-level alias of the deprecated decorator: flagged where it is applied, and not
rewritten there, since the alias assignment is what names `pytest.yield_fixture`."""
import pytest

yield_fixture_alias = pytest.yield_fixture


@yield_fixture_alias  # expect: FXL208
def workspace(tmp_path):
    yield tmp_path / "ws"
