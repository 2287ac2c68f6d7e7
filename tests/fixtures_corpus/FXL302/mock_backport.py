import mock
import pytest

from myapp import search


@pytest.fixture(scope="class")
def index_stub():
    stubs = mock.patch.multiple(search, build_index=mock.DEFAULT, refresh=mock.DEFAULT)
    started = stubs.start()  # expect: FXL302
    started["build_index"].return_value = {"doc-1": ["alpha"]}
    yield started
    search.reset_counters()


@pytest.fixture(scope="package")
def tiny_page_size():
    mock.patch.object(search, "PAGE_SIZE", 2).start()  # expect: FXL302
    return 2
