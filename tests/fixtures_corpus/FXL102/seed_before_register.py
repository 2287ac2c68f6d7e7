import functools
import shutil
import tempfile

import pytest

from myapp.db import connect, seed_users


@pytest.fixture
def db(request):
    conn = connect("postgresql://localhost/test")
    seed_users(conn)

    # Close the connection whatever the test did.
    request.addfinalizer(conn.close)  # expect: FXL102
    return conn


@pytest.fixture(scope="session")
def data_dir(request):
    path = tempfile.mkdtemp(prefix="myapp-data-")
    shutil.copytree("tests/data", path, dirs_exist_ok=True)
    assert (tempfile.gettempdir() in path), path
    request.addfinalizer(functools.partial(shutil.rmtree, path))  # expect: FXL102
    return path
