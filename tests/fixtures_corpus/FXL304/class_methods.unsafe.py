import pytest_asyncio
from pytest import fixture as fx

from myapp.inventory import Inventory


class TestInventory:
    @fx(scope="class")
    @classmethod
    def skus(cls):
        return ("A-1", "B-2")  # expect: FXL304

    @fx(scope="class")
    @classmethod
    def stock(cls):
        levels = {}
        for sku in ("A-1", "B-2"):
            levels[sku] = 10
        return levels  # expect: FXL304

    @pytest_asyncio.fixture(scope="class")
    async def reservations(self):
        await Inventory.reset()
        yield frozenset({("A-1", 2)})  # expect: FXL304

    def test_reserve(self, skus, stock, reservations):
        stock[skus[0]] -= 1
        reservations.add((skus[0], 1))
        assert stock["A-1"] == 9
