import pytest

from myapp.http import Request


# The function is called `request`, but the fixture's name is `http_request`: pytest accepts it.
@pytest.fixture(name="http_request")
def request():
    return Request(method="GET", path="/")


def test_get(http_request):
    assert http_request.method == "GET"
