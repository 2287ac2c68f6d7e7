import pytest

from myapp.db import create_engine
from myapp.server import start_server


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request):
    # Function scope: request.node is the test item, finalized right after each test.
    eng = create_engine(request.param)
    request.node.addfinalizer(eng.dispose)
    return eng


@pytest.fixture(scope="function")
def port(request):
    srv = start_server(port=request.param)
    request.node.addfinalizer(srv.stop)
    return srv.port


@pytest.fixture(scope="module")
def shared_server(request):
    # One instance per module: finalizing it with the module is exactly right.
    srv = start_server(port=0)
    request.node.addfinalizer(srv.stop)
    return srv


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def session_engine(request):
    # Registered on the fixture instance: runs before the next param is set up.
    eng = create_engine(request.param)
    request.addfinalizer(eng.dispose)
    return eng


def pick_scope(fixture_name, config):
    return "session" if config.getoption("--reuse-db") else "function"


@pytest.fixture(scope=pick_scope, params=["a", "b"])
def dynamic(request):
    # The scope is decided at run time: nothing to claim.
    eng = create_engine(request.param)
    request.node.addfinalizer(eng.dispose)
    return eng


@pytest.fixture(scope="module", params=["x", "y"])
def parametrized_yield(request):
    # Teardown after yield belongs to the fixture instance.
    srv = start_server(name=request.param)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def report(request):
    # A session-wide report written once at the end: the node is the right owner.
    lines = []
    request.node.addfinalizer(lambda: write_report(request.config, lines))
    return lines.append


def write_report(config, lines):
    config.cache.set("report", lines)
