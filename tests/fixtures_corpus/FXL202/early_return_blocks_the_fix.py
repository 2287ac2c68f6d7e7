import shutil

import pytest

from myapp.server import start_server


@pytest.fixture
def app_server(request, log_dir):
    # Reported without a fix: a `return` inside `finally` would swallow the error of
    # `server.stop()`, so the steps are left as they are.
    server = start_server(log_dir=log_dir)
    yield server
    server.stop()  # expect: FXL202
    if request.config.getoption("--keep-logs"):
        return
    shutil.rmtree(log_dir)
