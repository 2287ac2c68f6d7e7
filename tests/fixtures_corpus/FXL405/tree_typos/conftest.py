import pytest


@pytest.fixture
def database():
    return {"rows": []}


@pytest.fixture(scope="session")
def base_url():
    return "http://localhost"
