import os

from pytest import fixture


@fixture  # expect: FXL208
def workspace(tmp_path):
    (tmp_path / "src").mkdir()
    yield tmp_path


@fixture(scope="session")  # expect: FXL208
def cwd_at_start():
    yield os.getcwd()
