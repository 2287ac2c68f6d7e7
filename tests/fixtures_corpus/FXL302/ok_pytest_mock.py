import os

import pytest

from myapp import clock, mailer


@pytest.fixture
def fake_now(mocker):
    return mocker.patch("myapp.clock.now", return_value=0)


@pytest.fixture
def no_mail(mocker):
    send = mocker.patch.object(mailer, "send")
    mocker.patch.dict(os.environ, {"MAIL_BACKEND": "memory"})
    yield send


@pytest.fixture
def spy_clock(module_mocker):
    yield module_mocker.spy(clock, "now")


@pytest.fixture
def named_mock(mock):
    # `mock` here is another fixture (no `import mock`): its `patch` is not unittest.mock's.
    mock.patch("myapp.clock.now").start()
    yield mock
