import pytest


@pytest.fixture(scope="session")
def settings():
    return {"debug": False, "timezone": "UTC"}  # expect: FXL304


@pytest.fixture
def debug_settings(settings):
    # Changes the session's dict for every later test, not just for this one.
    settings["debug"] = True
    return settings


def test_debug_page(debug_settings):
    assert debug_settings["debug"]


def test_production_page(settings):
    assert not settings["debug"]  # fails when test_debug_page ran first
