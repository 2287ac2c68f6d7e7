import pytest


@pytest.fixture(scope="session")
def currency():
    return "USD"


@pytest.fixture
def ledger(ledger):
    ledger.entries += 1
    return ledger
