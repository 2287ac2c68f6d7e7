def test_pay(gateway):
    assert gateway
