import pytest_asyncio
from pytest import fixture as fx

from myapp.queue import Consumer


@pytest_asyncio.fixture
async def consumer(broker):
    consumer = Consumer(broker)
    await consumer.subscribe("jobs")
    try:
        yield consumer
    finally:  # expect: FXL203
        await consumer.unsubscribe("jobs")


class TestOrders:
    @fx
    def order(self, api):
        order = api.create_order(sku="A-1")
        try:
            yield order
        finally:  # expect: FXL203
            # Keep failed orders out of the shared sandbox.
            api.cancel_order(order.id)
