import pytest

from myapp.db import connect, seed_users


@pytest.fixture
def db():
    conn = connect("sqlite://")  # expect: FXL201
    seed_users(conn)

    yield conn
    # Leave nothing behind for the next test.
    conn.close()
