from unittest import mock

import pytest
from pytest import fixture as fx

from myapp.web import TestClient, create_app


@pytest.fixture
def frozen_clock():
    patcher = mock.patch("myapp.clock.now", return_value=1_700_000_000)
    # Started by hand; nothing ever stops it.
    with patcher as fake_now:  # expect: FXL207
        yield fake_now


class TestAdmin:
    @fx(scope="class")
    def client(self):
        with TestClient(create_app()) as client:  # expect: FXL207
            client.headers["Authorization"] = "Bearer test"

            yield client
            client.cookies.clear()
