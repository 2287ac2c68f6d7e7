import functools

import pytest

from myapp.db import connect
from myapp.server import start_server


def stop(srv):
    srv.stop()


@pytest.fixture
def bound_methods(request):
    found = []
    for port in (8001, 8002):
        srv = start_server(port)
        request.addfinalizer(srv.stop)
        found.append(srv)
    return found


@pytest.fixture
def partials(request):
    found = []
    for port in (8001, 8002):
        srv = start_server(port)
        request.addfinalizer(functools.partial(stop, srv))
        found.append(srv)
    return found


@pytest.fixture
def defaults_already(request):
    found = []
    for port in (8001, 8002):
        srv = start_server(port)
        request.addfinalizer(lambda srv=srv: srv.stop())
        found.append(srv)
    return found


@pytest.fixture
def captures_only_outer_names(request):
    conn = connect("sqlite://")
    request.addfinalizer(lambda: conn.close())
    for table in ("users", "orders"):
        conn.execute(f"create table {table} (id int)")
    return conn


@pytest.fixture
def retry_until_started(request):
    # Registers once: the loop ends right after the registration.
    for attempt in range(3):
        try:
            srv = start_server(port=0)
        except OSError:
            continue
        request.addfinalizer(lambda: srv.stop())
        break
    else:
        pytest.skip("server would not start")
    return srv


@pytest.fixture
def single_item(request):
    # One round only: the closure cannot see a later value.
    for name in ("primary",):
        srv = start_server(name)
        request.addfinalizer(lambda: srv.stop())
    return srv
