import pytest
import pytest as pt
import pytest_asyncio

from myapp.db import connect
from myapp.net import open_channel


@pytest.fixture(scope="modul")  # expect: FXL012
def db():
    conn = connect()
    yield conn
    conn.close()


@pt.fixture(scope="Session", autouse=True)  # expect: FXL012
def settings():
    return {"debug": True}


@pytest_asyncio.fixture(scope="sessions")  # expect: FXL012
async def channel():
    chan = await open_channel()
    yield chan
    await chan.close()


class TestReports:
    @pytest.fixture(scope="global")  # expect: FXL012
    def report_dir(self, tmp_path_factory):
        return tmp_path_factory.mktemp("reports")
