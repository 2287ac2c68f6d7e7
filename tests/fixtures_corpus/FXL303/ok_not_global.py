import os
import subprocess

import pytest

from myapp import Settings


@pytest.fixture
def child_env():
    # A copy of the environment for a child process: os.environ itself is untouched.
    env = os.environ.copy()
    env["PYTHONUNBUFFERED"] = "1"
    del env["HOME"]
    env.update(LANG="C")
    return env


@pytest.fixture
def run_worker(child_env, tmp_path):
    child_env["WORK_DIR"] = str(tmp_path)  # a fixture parameter, not global state
    return lambda *args: subprocess.run(["worker", *args], env=child_env, check=True)


@pytest.fixture
def settings():
    settings = Settings()  # a fresh local object shadows nothing global
    settings.DEBUG = True
    setattr(settings, "TIMEOUT", 1)
    return settings


class TestWorker:
    @pytest.fixture
    def paths(self, request, tmp_path):
        self.root = tmp_path
        request.cls.root = tmp_path
        return tmp_path

    def test_root(self, paths):
        assert paths.exists()
