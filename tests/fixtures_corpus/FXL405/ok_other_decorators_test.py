"""Tests whose parameters may come from decorators fixlint cannot read."""

import functools

import pytest
from hypothesis import given, strategies as st

from myproject.testing import with_account


@given(st.integers())
def test_integers(value):
    assert isinstance(value, int)


@with_account
def test_account(account):
    assert account


def wrap(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)

    return wrapper


@wrap
def test_wrapped(anything):
    assert anything


class Helper:
    def test_not_collected(self, whatever):
        assert whatever


@pytest.fixture
def number():
    return 1
