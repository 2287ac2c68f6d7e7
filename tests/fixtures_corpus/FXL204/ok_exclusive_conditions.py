import pytest


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path, postgresql):
    # Two separate `if` statements whose conditions exclude each other: fixlint cannot tell
    # that only one of them runs, so it stays quiet.
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
    if request.param == "postgres":
        yield postgresql.url
