from pytest import (
    fixture,
    raises,
    yield_fixture as yf,
)

from myapp.queue import Broker


@fixture
def broker_url():
    return "memory://"


@yf  # expect: FXL208
def broker(broker_url):
    b = Broker(broker_url)
    yield b
    b.close()


def test_bad_url():
    with raises(ValueError):
        Broker("nope://")
