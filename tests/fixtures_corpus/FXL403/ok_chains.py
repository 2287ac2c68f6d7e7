"""Fixtures that depend on each other without a circle."""

import pytest


@pytest.fixture
def config():
    return {"debug": True}


@pytest.fixture
def app(config, request):
    return ("app", config)


@pytest.fixture
def client(app, config):
    return ("client", app)


@pytest.fixture
def capsys(capsys):
    return capsys


class TestClient:
    @pytest.fixture
    def config(self, config):
        return dict(config, debug=False)

    def test_client(self, client):
        assert client
