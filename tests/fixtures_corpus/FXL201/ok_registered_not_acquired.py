import logging
import os
import shutil
import sys

import pytest

from myapp.db import connect, seed_users
from myapp.events import app, make_callback


@pytest.fixture
def importable(tmp_path):
    # `entry` is a value; inserting it is the step that registers it. If that step fails,
    # nothing was registered, so nothing needs removing.
    entry = str(tmp_path)
    sys.path.insert(0, entry)
    write_module(tmp_path)
    yield tmp_path
    sys.path.remove(entry)


@pytest.fixture
def captured_logs():
    handler = logging.Handler()
    logging.getLogger("myapp").addHandler(handler)
    yield handler
    logging.getLogger("myapp").removeHandler(handler)


@pytest.fixture
def subscribed():
    callback = make_callback()
    app.subscribe(callback)
    yield callback
    app.unsubscribe(callback)


@pytest.fixture
def workdir(tmp_path):
    # mkdir() creates what `subdir` names: if it fails, there is nothing to remove.
    subdir = tmp_path.joinpath("work")
    subdir.mkdir()
    yield subdir
    shutil.rmtree(subdir)


@pytest.fixture
def released_on_failure():
    conn = connect("sqlite://")
    try:
        seed_users(conn)
    except Exception:
        conn.close()
        raise
    yield conn
    conn.close()


@pytest.fixture
def app_logger():
    # removeHandler(handler) takes the handler off the logger; the logger is not released.
    logger = logging.getLogger("myapp")
    handler = logging.StreamHandler()
    logger.addHandler(handler)
    yield logger
    logger.removeHandler(handler)


@pytest.fixture
def env_file(tmp_path):
    # os.path.join computes a path; nothing is acquired by it.
    path = os.path.join(tmp_path, ".env")
    write_env(path, DEBUG="1")
    yield path
    os.remove(path)
