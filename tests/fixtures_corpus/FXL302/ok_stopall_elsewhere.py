from unittest.mock import patch

import pytest

from myapp import inventory


class TestStock:
    @pytest.fixture(autouse=True)
    def empty_warehouse(self):
        self.count = patch.object(inventory, "count", return_value=0).start()

    def teardown_method(self, method):
        patch.stopall()

    def test_out_of_stock(self):
        assert inventory.available("sku-1") is False

