import threading

import pytest

from myapp.db import connect
from myapp.server import start_server

_FIXTURE_LOCK = threading.Lock()


@pytest.fixture
def needs_a_later_name(request):
    # The finalizer also closes `cur`, bound after the failing step: moving it up
    # would make it fail with NameError, so this is reported without a fix.
    conn = connect("sqlite://")
    cur = conn.cursor()
    request.addfinalizer(lambda: (cur.close(), conn.close()))  # expect: FXL102
    return cur


@pytest.fixture
def order_would_change(request):
    a = start_server(port=0)
    b = start_server(port=0)
    request.addfinalizer(b.stop)
    request.addfinalizer(a.stop)  # expect: FXL102
    return a, b


@pytest.fixture
def registered_in_a_with_block(request):
    srv = start_server(port=0)
    with _FIXTURE_LOCK:
        srv.load_fixtures("users.json")
        request.addfinalizer(srv.stop)  # expect: FXL102
    return srv
