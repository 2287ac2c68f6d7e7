import pytest


@pytest.fixture
def client(base_url):
    return ("client", base_url)


@pytest.fixture
def base_url():
    return "http://localhost"
