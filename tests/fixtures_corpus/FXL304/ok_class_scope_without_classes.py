import pytest


# A class-scoped fixture requested by plain test functions is set up again for each of
# them (pytest 9.2): no two tests here share the list.
@pytest.fixture(scope="class")
def basket():
    return []


def test_add(basket):
    basket.append("apple")
    assert basket == ["apple"]


def test_empty(basket):
    assert basket == []
