import pytest

from myapp.cache import open_cache


@pytest.fixture
def cache(request):
    store = open_cache()
    request.addfinalizer(finalizer=store.close)  # expect: FXL103
    return store
