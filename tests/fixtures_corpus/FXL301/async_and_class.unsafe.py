import asyncio
from concurrent.futures import ThreadPoolExecutor as Pool
from typing import Iterator

import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def child():
    proc = await asyncio.create_subprocess_exec("sleep", "60")  # expect: FXL301
    yield proc
    if proc.returncode is None:
        proc.terminate()
    await proc.wait()


class TestJobs:
    @pytest.fixture
    def executor(self) -> Iterator[Pool]:
        pool = Pool(max_workers=2)  # expect: FXL301
        yield pool
        pool.shutdown()

    def test_submit(self, executor):
        assert executor.submit(sum, [1, 2]).result() == 3
