import pytest


@pytest.fixture
def gateway(merchant):
    return ("gateway", merchant)


@pytest.fixture
def merchant():
    return "shop"
