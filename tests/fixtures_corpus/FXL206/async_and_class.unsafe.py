import aiofiles
import pytest_asyncio as pa
from pytest import fixture as fx

from myapp.http import ApiClient, FakeTransport


@pa.fixture
async def report_file(tmp_path):
    async with aiofiles.open(tmp_path / "report.txt", "w+") as out:
        await out.write("header\n")
        yield out  # expect: FXL206


class TestOrders:
    @fx
    def api(self, base_url):
        with FakeTransport() as transport, ApiClient(base_url, transport=transport) as client:
            yield {"client": client, "transport": transport}  # expect: FXL206
