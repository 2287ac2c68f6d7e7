import pytest
import pytest_asyncio

from myapp.net import open_channel
from myapp.plugins import Registry


@pytest_asyncio.fixture("module")  # expect: FXL011
async def channel():
    chan = await open_channel()
    yield chan
    await chan.close()


@pytest.fixture("module", scope="session")  # expect: FXL011
def registry():
    return Registry()


@pytest.fixture(*("module",))
def unknown_count():
    return 1
