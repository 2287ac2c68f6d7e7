import pytest


@pytest.fixture(scope="module")
def invoice_template(currency, engine):
    return (currency, engine)


def test_invoice(invoice_template, ledger):
    assert invoice_template[0] == "USD"
    assert ledger.entries == 1
