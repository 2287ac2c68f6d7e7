from unittest import mock

import pytest

from myapp import payments, weather


@pytest.fixture
def sunny():
    with mock.patch("myapp.weather.fetch_forecast", return_value="sun") as mocked:  # expect: FXL302
        yield mocked


@pytest.fixture
def flaky_gateway():
    gateway_patcher = mock.patch.object(payments, "Gateway", autospec=True)
    with gateway_patcher as gateway:  # expect: FXL302
        gateway.return_value.charge.side_effect = [payments.Timeout(), "ok"]
        # The test drives the retries itself.
        yield gateway


@pytest.fixture(autouse=True)
def no_network():
    with mock.patch("socket.create_connection", side_effect=OSError("network disabled")):  # expect: FXL302
        weather.clear_cache()
        yield


@pytest.fixture(scope="session")
def fast_retries():
    with mock.patch.object(payments, "RETRY_DELAY", 0):  # expect: FXL302
        yield
