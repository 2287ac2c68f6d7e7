import logging
from unittest import mock

import pytest

from myapp.db import connect

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
