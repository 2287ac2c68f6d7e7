from unittest import mock

import pytest

from myapp import telemetry


def pick_scope(fixture_name, config):
    return "session" if config.getoption("--fast") else "function"


@pytest.fixture(scope="session", autouse=True)
def no_telemetry():
    # Meant for the whole run: every test should see it.
    mock.patch.object(telemetry, "emit").start()


@pytest.fixture(scope=pick_scope)
def quiet_telemetry():
    mock.patch.object(telemetry, "LEVEL", "off").start()
    yield
