import pytest_asyncio as pa
import pytest as pt


@pa.fixture
async def sessions(client):
    for role in ("reader", "writer"):
        session = await client.login(role)
        yield session  # expect: FXL204
        await session.logout()


@pa.fixture
async def pages(client):
    async for page in client.paginate("/items"):
        await page.load()
        yield page  # expect: FXL204


class TestReports:
    @pt.fixture
    def report(self, tmp_path):
        path = tmp_path / "report.txt"
        yield path
        if path.exists():
            # Meant as a second look at the file after the test.
            yield path.read_text()  # expect: FXL204
