import os

import pytest

from myapp.db import create_database, drop_database
from myapp.server import start_server


@pytest.fixture(scope="session")
def databases(request):
    names = []
    for name in ("users", "orders", "audit"):
        create_database(name)
        request.addfinalizer(lambda: drop_database(name))  # expect: FXL104
        names.append(name)
    return names  # expect: FXL304


@pytest.fixture
def servers(request):
    found = []
    for port in (8001, 8002):
        srv = start_server(port)
        request.addfinalizer(lambda: srv.stop())  # expect: FXL104
        found.append(srv)
    return found


@pytest.fixture
def spool_files(request, tmp_path):
    paths = []
    for index in range(3):
        path = tmp_path / f"spool-{index}.bin"
        path.write_bytes(b"")

        def remove():
            os.remove(path)

        request.addfinalizer(remove)  # expect: FXL104
        paths.append(path)
    return paths
