import pytest

from myapp.cluster import Cluster


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("cluster"))
    try:
        cluster.start(nodes=3)
        yield cluster
    except RuntimeError:
        # Setup failed half-way: take down the nodes that did start, then report the error.
        cluster.stop()
        raise
    cluster.stop()


@pytest.fixture
def with_fallback(primary, replica):
    try:
        conn = primary.connect()
    except ConnectionError:
        conn = replica.connect()
    yield conn
    conn.close()
