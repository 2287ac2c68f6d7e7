import pytest

from myapp.bank import Bank


class TestAccounts:
    @pytest.fixture(scope="class")
    @classmethod
    def bank(cls):
        cls.shared_bank = Bank()
        return cls.shared_bank

    @pytest.fixture
    @staticmethod
    def currency():
        return "EUR"

    @classmethod
    def make_account(cls, owner):
        return cls.shared_bank.open_account(owner)

    @staticmethod
    def test_currency_code(currency):
        assert len(currency) == 3

    @classmethod
    def setup_class(cls):
        cls.started = True


class Helpers:
    @staticmethod
    def fixture_path(name):
        return f"fixtures/{name}"
