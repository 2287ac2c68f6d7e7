import sqlite3

import pytest


@pytest.fixture
def users_db():
    conn = sqlite3.connect(":memory:")  # expect: FXL301
    conn.execute("create table users (name text)")
    # the test gets a ready database
    return conn


@pytest.fixture(scope="module")
def audit_log(tmp_path_factory):
    return open(tmp_path_factory.mktemp("audit") / "log.txt", "a")  # expect: FXL301
