import pytest


@pytest.fixture
def free_port():
    return 8765


@pytest.fixture
def account():
    return "ada"


@pytest.fixture(scope="session")
def server(free_port):  # expect: FXL401
    return ("localhost", free_port)
