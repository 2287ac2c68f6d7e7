import pytest

from myapp.db import connect
from myapp.server import start_server


@pytest.fixture  # expect: FXL208
def db():
    conn = connect("sqlite://")
    yield conn
    conn.close()


@pytest.fixture(scope="module", autouse=True)  # expect: FXL208
def server():
    srv = start_server(port=0)
    yield srv
    srv.stop()


class TestQueries:
    @pytest.fixture()  # expect: FXL208
    def rows(self, db):
        yield db.execute("select 1").fetchall()


@pytest.fixture  # expect: FXL208
async def ready_server(server):
    await server.wait_ready()
    yield server
