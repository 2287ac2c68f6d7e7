import logging
from unittest import mock

import pytest

from myapp.db import connect, seed_users

log = logging.getLogger(__name__)


@pytest.fixture
def db():
    conn = connect("sqlite://")
    log.info("connected to %s", conn)
    print("ready")
    yield conn
    conn.close()


@pytest.fixture
def registered_right_away(request):
    conn = connect("sqlite://")
    request.addfinalizer(conn.close)
    conn.execute("create table t (x)")
    return conn


@pytest.fixture
def pool_with_fake_connection():
    # Building mocks and assigning attributes cannot fail.
    pool = connect("sqlite://")
    fake = mock.MagicMock()
    fake.closed = True
    pool.idle = [fake]
    yield pool
    pool.close()


@pytest.fixture
def registered_and_torn_down(request):
    # The finalizer registered right away releases `conn` if `seed_users` raises.
    conn = connect("sqlite://")
    request.addfinalizer(lambda: conn.close())
    seed_users(conn)
    yield conn
    conn.close()
