import pytest

from myapp.server import start_server


@pytest.fixture
def server(request):
    srv = start_server(port=0)
    # `srv.stop` without the parentheses would lose the comment between them: no fix.
    request.addfinalizer(srv.stop(  # expect: FXL103
        # stop it at teardown, not now
    ))
    return srv
