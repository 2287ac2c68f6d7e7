"""A generator's `return []` ends its teardown: pytest never hands that list to a test."""
import pytest


@pytest.fixture(scope="module")
def share_points(request):
    if not request.config.getoption("--with-shares", default=False):
        yield None
        return []
    yield ("/srv/a", "/srv/b")
