import pytest

from myapp.bank import Bank


class TestAccounts:
    # One bank for the whole class; tests also read it as `cls.shared_bank`.
    @pytest.fixture(scope="class")  # class scope on purpose
    @classmethod  # expect: FXL014
    def bank(cls):
        cls.shared_bank = Bank()
        yield cls.shared_bank
        cls.shared_bank.close()

    def test_open_account(self, bank):
        assert bank.open_account("alice")
