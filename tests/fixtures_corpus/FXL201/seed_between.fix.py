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


@pytest.fixture
def schema():
    # A method on the resource that is not an activation step can fail too.
    conn = connect("sqlite://")  # expect: FXL201
    try:
        conn.execute("create table users (name text)")
        yield conn
    finally:
        conn.close()
