import pytest

from myapp.db import connect, seed_users


@pytest.fixture
def db():
    conn = connect("sqlite://")  # expect: FXL201
    try:
        seed_users(conn)

        yield conn
    finally:
        # Leave nothing behind for the next test.
        conn.close()
