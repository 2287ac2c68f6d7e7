import logging
import shutil
import tempfile
from unittest import mock

import pytest

from myapp.db import connect, seed_users
from myapp.server import Server

log = logging.getLogger(__name__)


@pytest.fixture
def registered_right_away(request):
    conn = connect("sqlite://")
    request.addfinalizer(conn.close)
    seed_users(conn)
    return conn


@pytest.fixture
def nothing_fallible_between(request):
    conn = connect("sqlite://")
    log.info("connected to %s", conn)
    print("ready")
    request.addfinalizer(conn.close)
    return conn


@pytest.fixture
def patcher_started_between(request):
    # Creating a patcher acquires nothing; if start() fails there is nothing to stop.
    patcher = mock.patch("myapp.clock.now", return_value=0)
    fake_now = patcher.start()
    request.addfinalizer(patcher.stop)
    return fake_now


@pytest.fixture
def activated_between(request):
    # If start() fails, the server never ran: nothing to stop.
    srv = Server(port=0)
    srv.start()
    request.addfinalizer(srv.stop)
    return srv


@pytest.fixture
def released_on_failure(request):
    conn = connect("sqlite://")
    try:
        seed_users(conn)
    except Exception:
        conn.close()
        raise
    request.addfinalizer(conn.close)
    return conn


@pytest.fixture
def not_from_a_call(request, tmp_path):
    path = tmp_path / "spool"
    path.mkdir()
    request.addfinalizer(lambda: shutil.rmtree(path))
    return path


@pytest.fixture
def registered_only_sometimes(request, pytestconfig):
    workdir = tempfile.mkdtemp()
    if not pytestconfig.getoption("--keep-workdir"):
        shutil.copy("tests/data/config.toml", workdir)
        request.addfinalizer(lambda: shutil.rmtree(workdir))
    return workdir


@pytest.fixture
def unregisters_what_a_step_registered(request, registry):
    # The finalizer undoes `registry.add(name)`; if that fails, there is nothing to undo.
    name = registry.fresh_name()
    registry.add(name)
    request.addfinalizer(lambda: registry.remove(name))
    return name
