import mock
import pytest

from myapp import search


@pytest.fixture(scope="class")
def index_stub():
    stubs = mock.patch.multiple(search, build_index=mock.DEFAULT, refresh=mock.DEFAULT)
    with stubs as started:  # expect: FXL302
        started["build_index"].return_value = {"doc-1": ["alpha"]}
        yield started
        search.reset_counters()


@pytest.fixture(scope="package")
def tiny_page_size():
    with mock.patch.object(search, "PAGE_SIZE", 2):  # expect: FXL302
        yield 2
