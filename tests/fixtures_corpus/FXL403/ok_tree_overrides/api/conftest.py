import pytest


@pytest.fixture
def base_url(base_url):
    return base_url + "/api"


@pytest.fixture
def client(client):
    return client + ("v2",)
