import pytest
import pytest_asyncio
from pytest import fixture as fx

from myapp.compat import yield_fixture
from myapp.server import start_server


@pytest.fixture
def server():
    srv = start_server(port=0)
    yield srv
    srv.stop()


@fx(scope="module")
def port():
    yield 8080


@pytest_asyncio.fixture
async def ready(server):
    await server.wait_ready()
    yield server


@yield_fixture
def not_pytests(server):
    # `yield_fixture` here is the project's own helper, not pytest's.
    yield server.url
