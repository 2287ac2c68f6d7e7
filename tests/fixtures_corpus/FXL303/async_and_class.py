import os

import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def api_token():
    token = await fetch_token()
    os.environ["API_TOKEN"] = token  # expect: FXL303
    return token


class TestCli:
    @pytest.fixture
    def cli_home(self, tmp_path):
        self.home = tmp_path  # an attribute of the test instance: not global
        os.chdir(tmp_path)  # expect: FXL303
        return tmp_path

    @pytest.fixture(autouse=True)
    def quiet(self):
        os.environ["CLI_QUIET"] = "1"  # expect: FXL303
        yield
        self.home = None
