import pytest
from pytest import yield_fixture as yf

from myapp.plugins import registry


def describe(fixture):
    # `fixture` already names something here, so the import is not renamed;
    # `pytest` is imported, so each decorator becomes `@pytest.fixture`.
    return f"{fixture.__name__} ({fixture.__module__})"


@pytest.fixture(autouse=True)  # expect: FXL208
def clean_registry():
    yield
    registry.clear()
