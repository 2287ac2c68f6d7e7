import pytest

pytest_plugins = ["helpers.db"]


@pytest.fixture
def currency():
    return "EUR"


@pytest.fixture(scope="session")
def ledger():
    return Ledger()


class Ledger:
    entries = 0
