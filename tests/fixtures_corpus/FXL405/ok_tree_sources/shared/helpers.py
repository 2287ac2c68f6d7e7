import pytest


@pytest.fixture
def temp_user():
    return "temp"
