import pytest_asyncio
from pytest import fixture as fx

from myapp.net import open_channel


class TestChannel:
    # a plain value, no `self` needed
    @fx
    @staticmethod  # expect: FXL014
    def payload():
        return b"ping"

    @pytest_asyncio.fixture
    @staticmethod  # expect: FXL014
    async def channel():
        chan = await open_channel()
        yield chan
        await chan.close()

    async def test_echo(self, channel, payload):
        assert await channel.echo(payload) == payload
