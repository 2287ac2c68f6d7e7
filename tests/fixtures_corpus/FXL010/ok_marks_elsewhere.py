import pytest

from myapp import marks
from myapp.cache import Cache

pytestmark = pytest.mark.integration


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.slow)])
def cache(request):
    c = Cache(backend=request.param)
    yield c
    c.clear()


@pytest.fixture
def flaky_backend(request):
    # Marking the requesting test from inside the fixture is the supported way.
    request.applymarker(pytest.mark.xfail(reason="backend is flaky"))
    request.node.add_marker(pytest.mark.slow)
    return "flaky"


@pytest.fixture
@marks.timed  # the project's own `marks` module, not pytest's
def timed_cache(cache):
    return cache


@pytest.mark.slow
@pytest.mark.usefixtures("cache")
def test_cache_is_empty(cache):
    assert cache.size() == 0


@pytest.mark.parametrize("key", ["a", "b"])
class TestKeys:
    @pytest.fixture
    def stored(self, cache, key):
        cache.set(key, 1)
        return key

    def test_get(self, cache, stored):
        assert cache.get(stored) == 1
