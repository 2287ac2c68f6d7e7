import pytest

from myapp.cache import Cache

module_fixture = pytest.fixture(scope="module")  # expect: FXL011


@module_fixture
def cache():
    return Cache(backend="memory")


@module_fixture
def warm_cache(cache):
    cache.warm()
    return cache
