"""A class-scoped fixture that only test functions request: each test gets its own instance, and
`request.node` is that test, so the node finalizer runs before the next param is set up. The
class in this file does not request it."""
import pytest


@pytest.fixture(scope="class", params=[1, 2])
def shard(request):
    request.node.addfinalizer(lambda: None)
    return request.param


def test_shard(shard):
    assert shard in (1, 2)


class TestUnrelated:
    def test_nothing(self):
        assert True
