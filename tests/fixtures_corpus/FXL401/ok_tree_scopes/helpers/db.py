import pytest


@pytest.fixture(scope="session")
def engine():
    return "sqlite://"
