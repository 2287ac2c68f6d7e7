import contextlib
import functools
import sys
from unittest import mock

import pytest

from myapp.web import TestClient, create_app


@pytest.fixture
def exited_in_teardown():
    patcher = mock.patch("myapp.clock.now", return_value=0)
    fake = patcher.__enter__()
    yield fake
    patcher.__exit__(None, None, None)


@pytest.fixture
def exited_in_finally():
    client = TestClient(create_app()).__enter__()
    try:
        yield client
    finally:
        client.__exit__(*sys.exc_info())


@pytest.fixture
def exited_by_finalizer(request):
    patcher = mock.patch("myapp.clock.now", return_value=0)
    fake = patcher.__enter__()
    request.addfinalizer(lambda: patcher.__exit__(None, None, None))
    return fake


@pytest.fixture
def exited_by_partial(request):
    client = TestClient(create_app())
    client.__enter__()
    request.addfinalizer(functools.partial(client.__exit__, None, None, None))
    return client


@pytest.fixture
def exited_by_local_def(request):
    patcher = mock.patch("myapp.clock.now", return_value=0)

    def stop():
        patcher.__exit__(None, None, None)

    request.addfinalizer(stop)
    return patcher.__enter__()


@pytest.fixture
def stopped_instead():
    # A patcher's stop() is its exit.
    patcher = mock.patch("myapp.clock.now", return_value=0)
    fake = patcher.__enter__()
    yield fake
    patcher.stop()


@pytest.fixture
def handed_to_exit_stack():
    with contextlib.ExitStack() as stack:
        patcher = mock.patch("myapp.clock.now", return_value=0)
        fake = patcher.__enter__()
        stack.push(patcher)
        yield fake


@pytest.fixture
async def async_exited():
    client = TestClient(create_app())
    await client.__aenter__()
    yield client
    await client.__aexit__(None, None, None)
