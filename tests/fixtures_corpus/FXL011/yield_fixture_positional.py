import pytest as pt

from myapp.server import start_server


@pt.yield_fixture("session")  # expect: FXL011, FXL208
def server():
    srv = start_server(port=0)
    yield srv
    srv.stop()
