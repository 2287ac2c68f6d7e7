import pytest

pytest_plugins = ["shared.fixtures"]


@pytest.fixture
def database():
    return ("database",)


def pytest_generate_tests(metafunc):
    if "region" in metafunc.fixturenames:
        metafunc.parametrize("region", ["eu", "us"])
