import pytest as pt

from myapp.cache import Cache


@pt.fixture(params=["memory", "redis"], ids=str)  # expect: FXL208
def cache(request):
    c = Cache(backend=request.param)
    yield c
    c.flush()
