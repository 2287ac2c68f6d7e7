import time

import pytest

from myapp.db import connect


@pytest.fixture
def backend(request):
    if request.param == "memory":
        yield {}
    else:
        store = connect(request.param)
        yield store
        store.close()


@pytest.fixture
def primary_or_replica(cluster):
    try:
        conn = cluster.primary.connect()
    except ConnectionError:
        yield cluster.replica.connect()
    else:
        yield conn
        conn.close()


@pytest.fixture
def retried_connection():
    # The loop only retries setup: after the yield every path leaves it.
    for attempt in range(5):
        try:
            conn = connect("primary")
        except ConnectionError:
            time.sleep(0.1 * attempt)
            continue
        yield conn
        conn.close()
        break
    else:
        pytest.fail("could not connect after 5 attempts")


@pytest.fixture
def first_free_port(ports):
    for port in ports:
        if port.is_free():
            yield port
            return
    pytest.skip("no free port")


@pytest.fixture
def delegated(tmp_path):
    yield from _workspace(tmp_path)


def _workspace(root):
    yield root
    for child in root.iterdir():
        child.unlink()


@pytest.fixture
def row_factory():
    # The yields belong to the nested generator, not to the fixture.
    def rows(count):
        for number in range(count):
            yield {"id": number}

    return rows
