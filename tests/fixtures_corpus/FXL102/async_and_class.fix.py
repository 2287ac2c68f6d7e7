import asyncio
import sys

import pytest as pt
import pytest_asyncio

from myapp.queue import Broker


@pytest_asyncio.fixture
async def worker(request):
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "myapp.worker")
    request.addfinalizer(proc.kill)  # expect: FXL102
    await asyncio.wait_for(proc.stdout.readline(), timeout=5)
    return proc


class TestQueues:
    @pt.fixture
    def broker(self, request):
        b = Broker()
        request.addfinalizer(lambda: b.close())  # expect: FXL102
        b.declare_queue("jobs")
        return b
