import sqlite3

import pytest

from myapp.db import has_json1
from myapp.server import Server


@pytest.fixture
def json_db(tmp_path):
    # A skip between acquisition and yield is a run that passes today: running the
    # teardown on that path could turn the skip into an error, so the fix is unsafe.
    conn = sqlite3.connect(str(tmp_path / "x.db"))  # expect: FXL201
    try:
        if not has_json1(conn):
            pytest.skip("needs json1")
        conn.execute("CREATE TABLE t (x)")
        yield conn
    finally:
        conn.close()


@pytest.fixture
def server():
    # Nothing is held before start(): a skip in front of it leaks nothing.
    srv = Server()
    if not Server.available():
        pytest.skip("no server binary")
    srv.start()
    yield srv
    srv.stop()
