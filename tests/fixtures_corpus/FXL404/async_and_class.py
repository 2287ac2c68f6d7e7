import pytest_asyncio
from pytest import fixture as fx

from shop.api import AsyncClient, Client


@pytest_asyncio.fixture(scope="module")
async def api(request):
    client = AsyncClient(user_agent=f"tests/{request.function.__name__}")  # expect: FXL404
    await client.login()
    yield client
    await client.aclose()


class TestCheckout:
    @fx(scope="class")
    def client(self, request):
        client = Client(trace=request.function.__qualname__)  # expect: FXL404
        yield client
        client.close()

    @fx(scope="class", name="cart")
    def make_cart(self, client, request):
        return client.new_cart(owner=request.cls.__name__)

    @fx(scope="class")
    @staticmethod
    def audit_log(request):
        return f"audit-{request.function.__name__}.log"  # expect: FXL404

    def test_checkout(self, cart):
        assert cart.checkout()
