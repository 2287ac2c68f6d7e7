import functools
import shutil
import tempfile

import pytest

from myapp.server import start_server


@pytest.fixture(scope="module")
def server(request):
    request.addfinalizer(srv.stop)  # expect: FXL101
    srv = start_server(port=0)
    srv.wait_ready()
    return srv


@pytest.fixture
def workdir(request):
    request.addfinalizer(functools.partial(shutil.rmtree, path, ignore_errors=True))  # expect: FXL101
    path = tempfile.mkdtemp(prefix="myapp-")
    return path


@pytest.fixture
def cleanup_defined_later(request):
    request.addfinalizer(remove_spool)  # expect: FXL101

    def remove_spool():
        shutil.rmtree("/tmp/myapp-spool", ignore_errors=True)

    return "/tmp/myapp-spool"
