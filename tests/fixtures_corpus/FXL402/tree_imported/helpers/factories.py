import pytest


@pytest.fixture
def order():
    return {"id": 7, "lines": []}
