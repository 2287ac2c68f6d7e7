import pytest as pt
import pytest_asyncio

from myapp.server import start_server

SCOPE = "module"
module_fixture = pt.fixture(scope="module")


@pt.fixture(scope=SCOPE, params=[8000, 8001])
def server(request):
    srv = start_server(port=request.param)
    request.addfinalizer(srv.stop)  # expect: FXL105
    return srv


@module_fixture
def cache_dir(request, tmp_path_factory):
    path = tmp_path_factory.mktemp(request.param)
    request.addfinalizer(lambda: clear(path))  # expect: FXL105
    return path


@pytest_asyncio.fixture(scope="session", params=["redis", "memcached"])
async def cache_client(request):
    client = await connect_cache(request.param)
    (request).addfinalizer(client.close_sync)  # expect: FXL105
    return client


def clear(path):
    for child in path.iterdir():
        child.unlink()


async def connect_cache(kind):
    raise NotImplementedError
