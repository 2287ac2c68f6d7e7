"""Every parameter here has a source pytest knows about."""

from unittest import mock

import pytest

from shared.helpers import temp_user

pytestmark = pytest.mark.parametrize("flavour", ["plain"])


def test_builtin_and_plugin(tmp_path, capsys, monkeypatch, mocker, request, database, clock):
    assert database


def test_generated(region, flavour):
    assert region in ("eu", "us")


@pytest.mark.parametrize("number, square", [(2, 4), (3, 9)])
def test_squares(number, square):
    assert number * number == square


@pytest.mark.parametrize("user", ["ada"], indirect=True)
def test_indirect(user):
    assert user == "ADA"


@pytest.fixture
def user(request):
    return request.param.upper()


@mock.patch("os.getcwd")
def test_patched(getcwd, database):
    getcwd.return_value = "/"


def test_imported(temp_user, with_default=None):
    assert temp_user == "temp"


@pytest.mark.parametrize("size", [1, 2])
class TestSizes:
    def test_size(self, size, flavour):
        assert size


def helper(not_a_fixture):
    return not_a_fixture
