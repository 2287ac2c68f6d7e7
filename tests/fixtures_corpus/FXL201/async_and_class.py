import pytest_asyncio as pa
from pytest import fixture as fx

from myapp.net import open_channel, start_server


@pa.fixture(scope="class")
async def server():
    srv = await start_server(port=0)  # expect: FXL201
    await srv.wait_ready()
    yield srv
    await srv.stop()


class TestChannels:
    @fx(scope="class")
    def channel(self, server):
        chan = open_channel(server.url)  # expect: FXL201
        chan.subscribe("events")
        yield chan
        chan.close()
