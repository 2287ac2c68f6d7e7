import pytest

from myapp.server import start_server


@pytest.fixture
def cleanup_defined_before_the_loop(request):
    # A default on `stop_current` would be evaluated once, before the loop: no fix.
    def stop_current():
        srv.stop()

    found = []
    for port in (8001, 8002):
        srv = start_server(port)
        request.addfinalizer(stop_current)  # expect: FXL104
        found.append(srv)
    return found


@pytest.fixture
def name_rebound_later_in_the_round(request):
    # `srv` changes after the registration in the same round: which value was meant is unclear.
    found = []
    for port in (8001, 8002):
        srv = start_server(port)
        request.addfinalizer(lambda: srv.stop())  # expect: FXL104
        srv = srv.with_timeout(5)
        found.append(srv)
    return found
