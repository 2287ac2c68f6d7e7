import pytest

from helpers.factories import order


@pytest.fixture
def paid_order(order):
    return dict(order, paid=True)


def test_total():
    assert order()["lines"] == []  # expect: FXL402


def test_paid(paid_order):
    assert paid_order["paid"]
