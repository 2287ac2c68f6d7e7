import os

import pytest

from myapp.retry import retry

slow = pytest.mark.slow
if os.environ.get("RUN_EVERYTHING"):
    slow = retry(times=3)  # rebound: `@slow` is not always a mark


@pytest.fixture
@slow
def session_token():
    return "token"


@pytest.fixture
@retry(times=3)
def cached_config():
    return {"debug": True}


# `retry` wraps the fixture: what it hands on to the mark is up to it.
@pytest.mark.slow
@retry(times=3)
@pytest.fixture
def flaky_service():
    return "service"
