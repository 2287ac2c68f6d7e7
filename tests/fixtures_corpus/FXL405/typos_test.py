"""A module of tests and fixtures, some requesting names that exist nowhere."""

from pytest import fixture as fx


@fx
def numbers():
    return (1, 2, 3)


def test_sum(numbrs):  # expect: FXL405
    assert sum(numbrs) == 6


def test_capture(capsys, caplg):  # expect: FXL405
    print("hi")


@fx(scope="module")
def settings(pytestconfig, enviroment):  # expect: FXL405
    return (pytestconfig, enviroment)
