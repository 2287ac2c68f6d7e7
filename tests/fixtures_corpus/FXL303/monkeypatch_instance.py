import pytest
from pytest import MonkeyPatch

from myapp import clock, mailer


@pytest.fixture(scope="module")
def frozen_clock():
    patcher = MonkeyPatch()  # expect: FXL303
    patcher.setattr(clock, "now", lambda: 1_700_000_000)
    return clock


@pytest.fixture(scope="session")
def outbox():
    sent = []
    mp = pytest.MonkeyPatch()  # expect: FXL303
    mp.setattr(mailer, "send", sent.append)
    mp.setenv("MAIL_BACKEND", "memory")
    yield sent
    sent.clear()


@pytest.fixture
def no_sleep():
    # Nobody can ever undo an instance that was never kept.
    pytest.MonkeyPatch().setattr(clock, "sleep", lambda seconds: None)  # expect: FXL303
