import pytest


@pytest.fixture(scope="module")
def order_book(account, free_port):  # expect: FXL401
    return (account, free_port)


class TestOrders:
    @pytest.fixture(scope="class")
    def order(self, order_book):
        return (order_book,)

    def test_order(self, order):
        assert order[0]
