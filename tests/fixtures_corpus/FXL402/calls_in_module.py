"""Fixture functions called like helpers."""

import pytest
from pytest import fixture as fx


@pytest.fixture
def user():
    return {"name": "ada"}


@fx(name="admin")
def make_admin():
    return {"name": "root", "admin": True}


def greeting_for_default_user():
    return "Hello, " + user()["name"]  # expect: FXL402


def test_admin_flag():
    assert make_admin()["admin"]  # expect: FXL402


@pytest.fixture
async def session_token():
    return "token"


async def test_token():
    assert await session_token() == "token"  # expect: FXL402


class TestProfile:
    @pytest.fixture
    def profile(self):
        return {"bio": ""}

    def test_empty_bio(self):
        assert self.profile()["bio"] == ""  # expect: FXL402
