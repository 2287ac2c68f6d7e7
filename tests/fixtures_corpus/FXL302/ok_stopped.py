import functools
import os
from unittest import mock
from unittest.mock import patch

import pytest

from myapp import clock, mailer


@pytest.fixture
def stopped_in_teardown():
    patcher = patch("myapp.clock.now", return_value=0)
    fake_now = patcher.start()
    yield fake_now
    patcher.stop()


@pytest.fixture
def stopped_in_finally():
    patcher = patch.dict(os.environ, {"TZ": "UTC"})
    patcher.start()
    try:
        clock.reload_timezone()
        yield
    finally:
        patcher.stop()


@pytest.fixture
def stopped_by_finalizer(request):
    patcher = patch.object(mailer, "send")
    request.addfinalizer(patcher.stop)
    return patcher.start()


@pytest.fixture
def stopped_by_lambda(request):
    patcher = patch.object(mailer, "send")
    sent = patcher.start()
    request.addfinalizer(lambda: patcher.stop())
    return sent


@pytest.fixture
def stopped_by_local_def(request):
    patcher = patch.object(mailer, "send")

    def undo():
        patcher.stop()
        mailer.flush()

    request.addfinalizer(undo)
    return patcher.start()


@pytest.fixture
def stopall_in_teardown():
    patch("myapp.clock.now", return_value=0).start()
    patch.object(mailer, "send").start()
    yield
    mock.patch.stopall()


@pytest.fixture
def stopall_as_finalizer(request):
    request.addfinalizer(patch.stopall)
    return patch("myapp.clock.now", return_value=0).start()


@pytest.fixture
def stopped_with_partial(request):
    patcher = patch("myapp.clock.now", return_value=0)
    request.addfinalizer(functools.partial(patcher.stop))
    return patcher.start()


@pytest.fixture
def context_manager():
    with patch("myapp.clock.now", return_value=0) as fake_now:
        yield fake_now


@pytest.fixture
def patcher_as_context_manager():
    patcher = patch.object(mailer, "send")
    with patcher as send:
        yield send


@pytest.fixture(scope="module")
def stopped_before_yield():
    # Patched only while the module-level data is built.
    patcher = patch("myapp.clock.now", return_value=0)
    patcher.start()
    data = clock.build_calendar()
    patcher.stop()
    yield data
