from unittest import mock
from unittest.mock import patch

import pytest

from myapp import clock, mailer


@pytest.fixture
def patcher():
    # Built, not started: the test enters it.
    return patch("myapp.clock.now", return_value=0)


@pytest.fixture
def freeze_at():
    # A factory: what the returned function does is the test's business.
    def freeze(moment):
        return mock.patch("myapp.clock.now", return_value=moment).start()

    return freeze


@pytest.fixture
@patch.object(mailer, "send")
def decorated_fixture(send):
    return send


@pytest.fixture
def started_server():
    server = clock.TickServer()
    server.start()
    yield server
    server.stop()
