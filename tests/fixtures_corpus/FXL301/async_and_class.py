import asyncio
from concurrent.futures import ThreadPoolExecutor as Pool
from typing import Iterator

import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def child():
    proc = await asyncio.create_subprocess_exec("sleep", "60")  # expect: FXL301
    return proc


class TestJobs:
    @pytest.fixture
    def executor(self) -> Pool:
        pool = Pool(max_workers=2)  # expect: FXL301
        return pool

    def test_submit(self, executor):
        assert executor.submit(sum, [1, 2]).result() == 3
