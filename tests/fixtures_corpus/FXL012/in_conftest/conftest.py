import pytest

from myapp.search import SearchIndex


@pytest.fixture(scope="Package")  # expect: FXL012
def index():
    idx = SearchIndex("memory://")
    yield idx
    idx.drop()
