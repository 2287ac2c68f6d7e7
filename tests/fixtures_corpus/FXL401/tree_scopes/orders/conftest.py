import pytest


@pytest.fixture(scope="module")
def account(account):  # expect: FXL401
    return account.title()
