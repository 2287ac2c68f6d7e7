import os
from unittest import mock
from unittest.mock import patch

import pytest

from myapp import billing, clock


@pytest.fixture
def frozen_clock():
    patcher = mock.patch("myapp.clock.now", return_value=1_700_000_000)
    # The mock is what the tests assert on.
    fake_now = patcher.start()  # expect: FXL302

    yield fake_now


@pytest.fixture
def declined_card(frozen_clock):
    charge = patch.object(billing.Gateway, "charge").start()  # expect: FXL302
    charge.side_effect = billing.CardDeclined("insufficient funds")
    yield charge
    billing.reset_ledger()


@pytest.fixture
def sandbox_env(tmp_path):
    patch.dict(os.environ, {"BILLING_MODE": "sandbox", "HOME": str(tmp_path)}).start()  # expect: FXL302
    clock.reset()
    yield tmp_path
