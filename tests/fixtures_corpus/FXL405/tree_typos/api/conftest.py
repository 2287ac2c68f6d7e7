import pytest


@pytest.fixture
def client(base_url):
    return ("client", base_url)
