import contextlib

import pytest

from myapp.db import connect, seed_users


@pytest.fixture
def with_block():
    with connect("sqlite://") as conn:
        seed_users(conn)
        yield conn


@pytest.fixture
def covered_by_finally():
    conn = connect("sqlite://")
    try:
        seed_users(conn)
        yield conn
    finally:
        conn.close()


@pytest.fixture
def exit_stack():
    with contextlib.ExitStack() as stack:
        conn = stack.enter_context(connect("sqlite://"))
        seed_users(conn)
        yield conn


@pytest.fixture
def best_effort_step():
    conn = connect("sqlite://")
    try:
        seed_users(conn)
    except Exception:
        pass
    yield conn
    conn.close()
