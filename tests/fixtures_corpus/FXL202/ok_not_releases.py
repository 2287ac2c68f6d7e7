import logging
import os

import pytest

log = logging.getLogger(__name__)


@pytest.fixture
def in_workdir(tmp_path):
    old_cwd = os.getcwd()
    saved_env = dict(os.environ)
    os.chdir(tmp_path)
    yield tmp_path
    # Restoring saved values, not releasing resources.
    os.chdir(old_cwd)
    os.environ.clear()
    os.environ.update(saved_env)


@pytest.fixture
def checked_conn(db_pool):
    conn = db_pool.acquire()
    yield conn
    assert not conn.in_transaction, "a test left a transaction open"
    log.info("returning %s to the pool", conn)
    db_pool.release(conn)
