import pytest

from myapp.db import create_engine


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def engine(request):
    eng = create_engine(request.param)
    request.node.addfinalizer(eng.dispose)  # expect: FXL105
    return eng


@pytest.fixture(scope="session", params=["en_US", "de_DE"], ids=["us", "de"])
def locale_dir(request, tmp_path_factory):
    path = tmp_path_factory.mktemp(request.param)

    def remove_catalogs():
        for catalog in path.glob("*.mo"):
            catalog.unlink()

    request.node.addfinalizer(remove_catalogs)  # expect: FXL105
    return path


@pytest.fixture(scope="package", params=[1, 2], name="worker_pool")
def make_worker_pool(request):
    pool = start_pool(size=request.param)
    request.node.addfinalizer(finalizer=pool.shutdown)  # expect: FXL105
    return pool


def start_pool(size):
    raise NotImplementedError
