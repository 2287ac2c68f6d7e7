import shutil

import pytest_asyncio as pa
from pytest import fixture as fx

from myapp.cache import make_cache_dir
from myapp.net import open_channel


@pa.fixture
async def cache_dir(request):
    def remove_cache():
        shutil.rmtree(path)

    path = await make_cache_dir()
    request.addfinalizer(remove_cache)  # expect: FXL101
    return path


class TestChannels:
    @fx(scope="class")
    def channel(self, request, broker_url):
        chan = open_channel(broker_url)
        request.node.addfinalizer(lambda: chan.close())  # expect: FXL101
        chan.subscribe("events")
        return chan
