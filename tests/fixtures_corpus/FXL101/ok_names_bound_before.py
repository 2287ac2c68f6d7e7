import functools
import shutil

import pytest

from myapp.db import connect
from myapp.server import start_server

REGISTRY = {}


@pytest.fixture
def registered_after_binding(request):
    conn = connect("sqlite://")
    request.addfinalizer(conn.close)
    return conn


@pytest.fixture
def placeholder_first(request):
    # `srv` is bound (to None) before the registration; the lambda checks for it.
    srv = None
    request.addfinalizer(lambda: srv and srv.stop())
    srv = start_server(port=0)
    return srv


@pytest.fixture
def uses_parameters_and_globals(request, tmp_path):
    request.addfinalizer(lambda: REGISTRY.pop(request.node.name, None))
    request.addfinalizer(functools.partial(shutil.rmtree, tmp_path / "spool", ignore_errors=True))
    REGISTRY[request.node.name] = tmp_path
    return tmp_path


@pytest.fixture
def own_parameters_only(request):
    # The lambda's own parameter is not the fixture's later local.
    request.addfinalizer(lambda item=None: item)
    item = start_server(port=0)
    request.addfinalizer(item.stop)
    return item


@pytest.fixture
def def_before_registration(request):
    conn = connect("sqlite://")

    def close_all():
        conn.close()

    request.addfinalizer(close_all)
    return conn


@pytest.fixture
def bound_in_both_branches(request, pytestconfig):
    if pytestconfig.getoption("--live"):
        srv = start_server(port=0)
    else:
        srv = start_server(port=0, fake=True)
    request.addfinalizer(srv.stop)
    return srv
