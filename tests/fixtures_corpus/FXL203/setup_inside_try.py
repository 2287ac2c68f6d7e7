import pytest

from myapp.server import start_server
from myapp.client import connect


@pytest.fixture(scope="module")
def live_server():
    try:
        server = start_server(port=0)
        yield server
    except OSError:  # expect: FXL203
        # Only a setup failure gets here, and then `server` was never bound.
        server.stop()


@pytest.fixture
def client(live_server):
    try:
        conn = connect(live_server.url)
        yield conn
    except ConnectionError:  # expect: FXL203
        pass
