"""Calls that look like fixture calls but are not."""

import pytest


@pytest.fixture
def make_user():
    def make_user(name="ada"):
        return {"name": name}

    return make_user


@pytest.fixture
def make_order():
    return lambda total: {"total": total}


def test_factory(make_user, make_order):
    assert make_user("bob")["name"] == "bob"
    assert make_order(3)["total"] == 3


@pytest.fixture
def clock():
    return 0


def test_unwrapped():
    assert clock.__wrapped__() == 0


def test_local_helper():
    def clock():
        return 1

    assert clock() == 1


class TestAccounts:
    @pytest.fixture
    def account(self):
        return {"balance": 0}

    def balance(self):
        return 0

    def test_balance(self, account):
        assert self.balance() == account["balance"]


def helper(value):
    return value


def test_plain_function_call():
    assert helper(2) == 2
