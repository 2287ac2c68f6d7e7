import tempfile

import pytest
import pytest_asyncio

from myapp.net import connect


@pytest.fixture
def scratch_dir():
    with tempfile.TemporaryDirectory() as path:
        yield path


@pytest_asyncio.fixture
async def connection():
    async with connect("db://test") as conn:
        yield conn


@pytest.fixture
def report(tmp_path):
    with open(tmp_path / "report.txt", "w+") as fh:
        yield fh
        fh.flush()
