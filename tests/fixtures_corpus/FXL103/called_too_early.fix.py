import functools

import pytest

from myapp.server import start_server


@pytest.fixture
def server(request):
    srv = start_server(port=0)
    request.addfinalizer(srv.stop)  # expect: FXL103
    return srv


@pytest.fixture
def uploads(request, tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    request.addfinalizer(functools.partial(remove_tree, folder))  # expect: FXL103
    return folder


def remove_tree(path):
    for child in path.iterdir():
        child.unlink()
    path.rmdir()
