"""Fixtures that request each other."""

import pytest


@pytest.fixture
def bank(account):  # expect: FXL403
    return {"owner": account["owner"]}


@pytest.fixture
def account(bank):
    return {"owner": "ada", "bank": bank}


@pytest.fixture
def loop_a(loop_b):  # expect: FXL403
    return loop_b


@pytest.fixture
def loop_b(loop_c):
    return loop_c


@pytest.fixture
async def loop_c(request):
    return request.getfixturevalue("loop_a")


class TestLedger:
    @pytest.fixture
    def entry(self, journal):  # expect: FXL403
        return journal

    @pytest.fixture
    def journal(self, entry):
        return [entry]
