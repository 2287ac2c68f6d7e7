import logging

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
