import socket
import sys

import pytest

from myapp.server import make_server


@pytest.fixture
def on_sys_path(request, tmp_path):
    # `str(...)` computes a value, and removing the entry undoes the insert: if the insert
    # fails, there is nothing to undo.
    entry = str(tmp_path)
    sys.path.insert(0, entry)
    request.addfinalizer(lambda: sys.path.remove(entry))
    return entry


@pytest.fixture
def socket_made_in_between(request):
    # The finalizer closes `srv.sock`, which the step in between creates: registering it
    # earlier would fail with AttributeError, and if that step fails there is no socket.
    srv = make_server()
    srv.sock = socket.socket()
    request.addfinalizer(srv.sock.close)
    return srv


@pytest.fixture
def step_may_create_the_part(request):
    # `srv.bind()` may be what sets `srv.sock`: whether it existed before is unknown.
    srv = make_server()
    srv.bind(("127.0.0.1", 0))
    request.addfinalizer(lambda: srv.sock.close())
    return srv
