import concurrent.futures
import time

import pytest

from myapp.api import Client
from myapp.db import connect


def _workspace(root):
    (root / "work").mkdir()
    yield root / "work"
    for child in (root / "work").iterdir():
        child.unlink()


def _logged_in(app):
    client = Client(app)
    yield client
    client.close()


async def _started(server):
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def workspace(tmp_path):
    # Delegation: the helper yields once, so the loop runs once and its teardown runs after it.
    for path in _workspace(tmp_path):
        yield path


@pytest.fixture
def admin_client(app):
    # A loop over a generator of this file delegates to it, whatever else the body does.
    for client in _logged_in(app):
        client.login("admin")
        yield client


@pytest.fixture
async def server(make_server):
    # `async for` is how an async generator delegates: there is no `yield from` there.
    async for started in _started(make_server()):
        yield started


@pytest.fixture
def mocked(redis_client, response_factory):
    # The whole body is `yield <target>`: delegation to whatever the call returns.
    for patched in response_factory(redis_client, "OK"):
        yield patched


@pytest.fixture
def retried_connection():
    for attempt in range(3):
        try:
            conn = connect("primary")
            yield conn
            break
        except ConnectionError:
            time.sleep(0.1 * attempt)
            continue


@pytest.fixture
def replica_connection():
    # Only a teardown error would take the `except` path back round the loop.
    for attempt in range(3):
        try:
            conn = connect("replica")
            yield conn
            conn.close()
        except ConnectionError:
            continue
        break


@pytest.fixture
def ready_service(service):
    while True:
        if service.ready():
            yield service
            break
        time.sleep(0.1)


@pytest.fixture
def event_loop_thread(start_loop, run_loop):
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        started = concurrent.futures.Future()
        finished = pool.submit(run_loop, started)
        # The second pass takes the `elif` branch: it never reaches the yield again.
        for future in concurrent.futures.as_completed((started, finished)):
            if future is started:
                loop = started.result()
                try:
                    yield loop
                finally:
                    loop.stop()
            elif future is finished:
                finished.result()
                break


@pytest.fixture
def until_done(queue):
    done = False
    while not done:
        item = queue.get()
        yield item
        done = True


@pytest.fixture
def only_tenant(db):
    for tenant in ("default",):
        db.create_schema(tenant)
        yield tenant
        db.drop_schema(tenant)
