import pytest

from myapp.http import Request


def request(method, path):
    """A helper that builds requests; not a fixture."""
    return Request(method=method, path=path)


@pytest.fixture
def get_request(request):
    # `request` here is pytest's own request object, which this fixture asks for.
    return Request(method="GET", path=request.param if hasattr(request, "param") else "/")


@pytest.fixture(name="http_request")
def request_fixture():
    return request("GET", "/")


class Client:
    def request(self, method, path):
        return Request(method=method, path=path)


@pytest.fixture
def client(request):
    c = Client()
    request.addfinalizer(lambda: None)
    return c
