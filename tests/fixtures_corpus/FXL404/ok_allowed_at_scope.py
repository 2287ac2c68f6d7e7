import pytest

from shop.db import connect
from shop.reports import ReportWriter


@pytest.fixture(scope="class")
def class_db(request):
    # The classic pattern: a class-scoped fixture hands the class a shared attribute.
    conn = connect("sqlite://")
    request.cls.db = conn
    yield conn
    conn.close()


@pytest.fixture(scope="class")
def writer(request):
    return ReportWriter(request.module.__name__, request.path.name)


@pytest.fixture(scope="module")
def module_db(request):
    name = request.module.__name__.replace(".", "_")
    conn = connect(f"sqlite:///{request.path.parent / name}.db")
    request.addfinalizer(conn.close)
    return conn


@pytest.fixture(scope="module")
def module_node(request):
    # ``request.node`` is the module here; its name and nodeid are always there.
    return request.node.name, request.node.nodeid, request.keywords


@pytest.fixture(scope="module")
def maybe_instance(request):
    # ``request.instance`` is None above function scope: odd, but it does not raise.
    return request.instance


@pytest.fixture(scope="package")
def package_dir(request):
    return request.path.parent


@pytest.fixture(scope="session")
def root(request):
    return request.config.rootpath / request.session.name


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request):
    return f"{request.param}:{request.fixturename}:{request.scope}"
