import threading

import pytest

from myapp.db import connect
from myapp.files import remove_dir_later
from myapp.server import start_server


@pytest.fixture
def binding_in_another_block(request, tmp_path):
    request.addfinalizer(lambda: log.close())  # expect: FXL101
    with threading.Lock():
        log = open(tmp_path / "server.log", "w")
    return log


@pytest.fixture
def cleans_something_first(request):
    # If `conn.cursor()` fails, today's finalizer still closes `conn` before it
    # trips over `cur`; moving it below `cur = ...` would lose that, so no fix.
    conn = connect("sqlite://")
    request.addfinalizer(lambda: (conn.close(), cur.close()))  # expect: FXL101
    cur = conn.cursor()
    return cur


@pytest.fixture
def another_registration_between(request):
    request.addfinalizer(lambda: srv.stop())  # expect: FXL101
    request.addfinalizer(lambda: print("teardown done"))
    srv = start_server(port=0)
    return srv


@pytest.fixture
def helper_registers_too(request):
    # `remove_dir_later` is given `request` and registers a finalizer of its own: moving
    # this registration below it would change the order in which the two run.
    request.addfinalizer(lambda: srv.stop())  # expect: FXL101
    remove_dir_later(request, "spool")
    srv = start_server(port=0)
    return srv


@pytest.fixture
def default_read_at_registration(request, config):
    # The default reads `config.keep_tmp` when the lambda is created; below `start_server`
    # it could read another value, so no fix.
    request.addfinalizer(lambda keep=config.keep_tmp: keep or srv.stop())  # expect: FXL101
    srv = start_server(port=0)
    return srv
