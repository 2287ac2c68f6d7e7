import pytest

from myapp.db import connect
from myapp.files import remove_dir_later
from myapp.server import start_server, wait_for_port
from myapp.testing import Tracker


@pytest.fixture
def db(request):
    # The helper registers a finalizer of its own: moving `conn.close` above it would make
    # the two run in the other order, so this is reported without a fix.
    conn = connect("sqlite://")
    remove_dir_later(request, "db-dir")
    request.addfinalizer(conn.close)  # expect: FXL102
    return conn


@pytest.fixture
def db_with_users(request):
    conn = connect("sqlite://")
    users = request.getfixturevalue("users")
    conn.insert_all(users)
    request.addfinalizer(conn.close)  # expect: FXL102
    return conn


@pytest.fixture
def tracked_db(request):
    tracker = Tracker(request)
    conn = connect("sqlite://")
    tracker.watch(conn)
    request.addfinalizer(conn.close)  # expect: FXL102
    return conn


@pytest.fixture
def server_socket(request):
    # The finalizer closes a part of `srv`; `srv.sock` would be read at once if the
    # registration moved up, so it is reported without a fix.
    srv = start_server(port=0)
    wait_for_port(8080)
    request.addfinalizer(srv.sock.close)  # expect: FXL102
    return srv
