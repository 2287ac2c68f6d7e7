import pytest


@pytest.fixture
def tmp_path(tmp_path):
    return tmp_path / "api"


def test_client(client, tmp_path):
    assert client[1] == "http://localhost/api"
