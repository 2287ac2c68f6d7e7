import os

import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def api_token(monkeypatch):
    token = await fetch_token()
    monkeypatch.setenv("API_TOKEN", token)  # expect: FXL303
    return token


class TestCli:
    @pytest.fixture
    def cli_home(self, tmp_path, monkeypatch):
        self.home = tmp_path  # an attribute of the test instance: not global
        monkeypatch.chdir(tmp_path)  # expect: FXL303
        return tmp_path

    @pytest.fixture(autouse=True)
    def quiet(self, monkeypatch):
        monkeypatch.setenv("CLI_QUIET", "1")  # expect: FXL303
        yield
        self.home = None
