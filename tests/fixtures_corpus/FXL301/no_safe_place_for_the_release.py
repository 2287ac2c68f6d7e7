"""Real leaks with no fix: the resource is made only on one branch, or made the current loop."""
import asyncio
import subprocess

import pytest


@pytest.fixture
def maybe_daemon(request):
    if request.config.getoption("--with-daemon", default=False):
        proc = subprocess.Popen(["sleep", "60"])  # expect: FXL301
    yield


@pytest.fixture
def event_loop_policy_loop():
    loop = asyncio.new_event_loop()  # expect: FXL301
    asyncio.set_event_loop(loop)
    return loop
