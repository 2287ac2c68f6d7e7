from unittest import mock

import pytest

from myapp import payments, weather


@pytest.fixture
def sunny():
    return mock.patch("myapp.weather.fetch_forecast", return_value="sun").start()  # expect: FXL302


@pytest.fixture
def flaky_gateway():
    gateway_patcher = mock.patch.object(payments, "Gateway", autospec=True)
    gateway = gateway_patcher.start()  # expect: FXL302
    gateway.return_value.charge.side_effect = [payments.Timeout(), "ok"]
    # The test drives the retries itself.
    return gateway


@pytest.fixture(autouse=True)
def no_network():
    mock.patch("socket.create_connection", side_effect=OSError("network disabled")).start()  # expect: FXL302
    weather.clear_cache()


@pytest.fixture(scope="session")
def fast_retries():
    mock.patch.object(payments, "RETRY_DELAY", 0).start()  # expect: FXL302
