import pytest_asyncio
from pytest import fixture as fx

from myapp.net import open_channel


class TestChannel:
    @staticmethod  # expect: FXL014
    # a plain value, no `self` needed
    @fx
    def payload():
        return b"ping"

    @staticmethod  # expect: FXL014
    @pytest_asyncio.fixture
    async def channel():
        chan = await open_channel()
        yield chan
        await chan.close()

    async def test_echo(self, channel, payload):
        assert await channel.echo(payload) == payload
