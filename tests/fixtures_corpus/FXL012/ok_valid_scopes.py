import os

import pytest
from pytest import fixture as fx

from myapp.config import DEFAULT_SCOPE
from myapp.db import connect

SCOPE = "session"
WORKER_SCOPE = "module"
if os.environ.get("PYTEST_XDIST_WORKER"):
    WORKER_SCOPE = "session"

# A placeholder: the real value is set below.
CACHE_SCOPE = "unset"
try:
    from myapp.settings import CACHE_SCOPE
except ImportError:
    CACHE_SCOPE = "session"


def determine_scope(fixture_name, config):
    if config.getoption("--keep-db", None):
        return "session"
    return "function"


@pytest.fixture(scope=determine_scope)
def db():
    conn = connect()
    yield conn
    conn.close()


@pytest.fixture(scope=lambda fixture_name, config: "module")
def cache():
    return {}


@fx(scope=SCOPE)
def settings():
    return ("debug",)


@fx(scope=None)  # None means function scope
def scratch():
    return []


@fx(scope=DEFAULT_SCOPE)
def imported_scope():
    return 1


@fx(scope=WORKER_SCOPE)
def per_worker():
    return 2


@fx(scope=CACHE_SCOPE)
def cache_settings():
    return ("lru", 128)


@pytest.fixture(scope="package")
def package_data():
    return ("a", "b")


class TestScopes:
    @pytest.fixture(scope="class")
    def shared(self):
        return object()
