import pytest
import pytest_asyncio

from myapp.broker import connect_broker


@pytest_asyncio.fixture(scope="module")
# the broker container takes a while to boot
# expect: FXL010
async def broker():
    conn = await connect_broker()
    yield conn
    await conn.close()


@pytest.fixture
# TODO: fix the race  # expect: FXL010
# keeps its own comment
def topic(broker):
    return broker.topic("events")
