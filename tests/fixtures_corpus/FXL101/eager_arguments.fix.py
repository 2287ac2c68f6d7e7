import functools
import shutil
import tempfile

import pytest

from myapp.server import start_server


@pytest.fixture(scope="module")
def server(request):
    srv = start_server(port=0)
    request.addfinalizer(srv.stop)  # expect: FXL101
    srv.wait_ready()
    return srv


@pytest.fixture
def workdir(request):
    path = tempfile.mkdtemp(prefix="myapp-")
    request.addfinalizer(functools.partial(shutil.rmtree, path, ignore_errors=True))  # expect: FXL101
    return path


@pytest.fixture
def cleanup_defined_later(request):
    def remove_spool():
        shutil.rmtree("/tmp/myapp-spool", ignore_errors=True)

    request.addfinalizer(remove_spool)  # expect: FXL101

    return "/tmp/myapp-spool"
