import pytest
from pytest import fixture

from myapp.db import create_engine

OPTIONS = {"scope": "module"}


def _make_engine():
    return create_engine("sqlite://")


# Making a fixture of an existing function by calling the decorator is valid.
engine = pytest.fixture(_make_engine)
module_engine = pytest.fixture(scope="module", name="module_engine")(_make_engine)


@pytest.fixture(scope="module", params=["sqlite", "postgres"], ids=str.upper)
def backend(request):
    return request.param


@fixture()
def empty():
    return []


@pytest.fixture(None)  # the same as @pytest.fixture()
def nothing():
    return None


@pytest.fixture(**OPTIONS)
def from_options():
    return 1
