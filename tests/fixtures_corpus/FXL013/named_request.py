import pytest
import pytest_asyncio
from pytest import fixture as fx

from myapp.http import Request


@pytest.fixture
def request():  # expect: FXL013
    return Request(method="GET", path="/")


@fx(name="request")  # expect: FXL013
def make_request():
    return Request(method="POST", path="/items")


class TestHandlers:
    @pytest.fixture
    def request(self):  # expect: FXL013
        return Request(method="DELETE", path="/items/1")

    def test_delete(self, request):
        assert request.method == "DELETE"


@pytest_asyncio.fixture(scope="module", name="request")  # expect: FXL013
async def async_request():
    return Request(method="GET", path="/stream")
