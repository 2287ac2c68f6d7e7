import pytest

from shop.reports import ReportWriter


def pick_scope(fixture_name, config):
    return config.getoption("--db-scope")


@pytest.fixture
def report(request):
    return ReportWriter(request.function.__name__, request.cls, request.module, request.path)


@pytest.fixture(scope="function")
def explicit(request):
    yield request.function
    print(request.instance, request.fspath)


@pytest.fixture(scope=pick_scope)
def dynamic(request):
    # The scope is chosen at run time: nothing is known about it here.
    return request.function.__name__


def test_reads_its_own_request(request):
    assert request.function.__name__ == "test_reads_its_own_request"
    assert request.cls is None


class TestInClass:
    def test_method(self, request):
        assert request.cls is TestInClass
