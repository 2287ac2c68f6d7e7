from unittest import mock

import pytest

from myapp.web import TestClient, create_app


@pytest.fixture
def app_client():
    with TestClient(create_app()) as client:
        yield client


@pytest.fixture
def entered(app_client):
    # A parameter: the fixture that made it owns its exit.
    return app_client.__enter__()


class TestWithState:
    def teardown_method(self):
        self._patcher.__exit__(None, None, None)

    @pytest.fixture(autouse=True)
    def clock(self):
        # Kept on the instance: teardown_method exits it.
        self._patcher = mock.patch("myapp.clock.now", return_value=0)
        self._patcher.__enter__()


@pytest.fixture
def registered(request):
    # Stored where other code can reach it: the plugin's hook exits it.
    patcher = mock.patch("myapp.clock.now", return_value=0)
    request.node.stash_patcher = patcher
    return patcher.__enter__()


def enter_all(managers):
    # Not a fixture.
    return [cm.__enter__() for cm in managers]


@pytest.fixture(scope="session")
def shared_client():
    # Entered here, exited by the fixture below that requests it.
    return TestClient(create_app()).__enter__()


@pytest.fixture(scope="session", autouse=True)
def close_shared_client(shared_client):
    yield
    shared_client.__exit__(None, None, None)
