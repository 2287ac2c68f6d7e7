"""Small fixture modules the CLI and integration tests share: one leak with its fix, one clean file."""

LEAKY = """\
import pytest


@pytest.fixture
def db():
    conn = connect()
    seed(conn)
    yield conn
    conn.close()
"""
LEAKY_FIXED = """\
import pytest


@pytest.fixture
def db():
    conn = connect()
    try:
        seed(conn)
        yield conn
    finally:
        conn.close()
"""
CLEAN = """\
import pytest


@pytest.fixture
def db():
    with connect() as conn:
        yield conn
"""
