import sqlite3

import pytest


@pytest.fixture
def users_db():
    conn = sqlite3.connect(":memory:")  # expect: FXL301
    try:
        conn.execute("create table users (name text)")
        # the test gets a ready database
        yield conn
    finally:
        conn.close()


@pytest.fixture(scope="module")
def audit_log(tmp_path_factory):
    audit_log = open(tmp_path_factory.mktemp("audit") / "log.txt", "a")  # expect: FXL301
    yield audit_log
    audit_log.close()
