import pytest_asyncio
from pytest import fixture as fx

from myapp.pool import Pool, Worker


@pytest_asyncio.fixture
async def workers(request):
    pool = Pool()
    started = []
    while len(started) < 3:
        worker = await pool.spawn()
        request.addfinalizer(lambda worker=worker: worker.terminate())  # expect: FXL104
        started.append(worker)
    return started


class TestWorkers:
    @fx(scope="class")
    def idle_workers(self, request):
        found = [Worker(n) for n in range(2)]
        [request.addfinalizer(lambda w=w: w.stop()) for w in found]  # expect: FXL104
        return found  # expect: FXL304
