import pytest

from myapp.cache import Cache
from myapp.db import connect

DB_SCOPE = "sesion"
session_fixture = pytest.fixture(scope="modules")  # expect: FXL012


@pytest.fixture(scope=DB_SCOPE)  # expect: FXL012
def db():
    conn = connect()
    yield conn
    conn.close()


@session_fixture
def cache():
    return Cache(backend="memory")


@session_fixture
def warm_cache(cache):
    cache.warm()
    return cache
