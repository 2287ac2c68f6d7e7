import pytest
from pytest import MonkeyPatch

from myapp import clock, mailer


@pytest.fixture(scope="module")
def frozen_clock():
    patcher = MonkeyPatch()  # expect: FXL303
    try:
        patcher.setattr(clock, "now", lambda: 1_700_000_000)
        yield clock
    finally:
        patcher.undo()


@pytest.fixture(scope="session")
def outbox():
    sent = []
    mp = pytest.MonkeyPatch()  # expect: FXL303
    try:
        mp.setattr(mailer, "send", sent.append)
        mp.setenv("MAIL_BACKEND", "memory")
        yield sent
    finally:
        sent.clear()
        mp.undo()


@pytest.fixture
def no_sleep():
    # Nobody can ever undo an instance that was never kept.
    pytest.MonkeyPatch().setattr(clock, "sleep", lambda seconds: None)  # expect: FXL303
