"""`getattr(request, "param", 8000)` makes the param optional, and nothing in this file
parametrizes `server_port` indirectly: there is one instance, and no "next param" to move to."""
import pytest


@pytest.fixture(scope="module")
def server_port(request):
    port = getattr(request, "param", 8000)
    request.node.addfinalizer(lambda: print(f"released {port}"))
    return port


def test_port(server_port):
    assert server_port == 8000
