"""Broad fixtures whose requests are all broad enough."""

import pytest

from myproject.testing import shared_data


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("work")


@pytest.fixture
def per_test(tmp_path, monkeypatch, capsys):
    return tmp_path


@pytest.fixture(scope="session")
def config(request, pytestconfig):
    return pytestconfig.getoption("verbose")


@pytest.fixture(scope="module")
def settings(config, workdir):
    return (config, workdir)


def _pick_scope(fixture_name, config):
    return "session"


@pytest.fixture(scope=_pick_scope)
def dynamic(tmp_path):
    return tmp_path


@pytest.fixture(scope="module")
def with_default(label="data"):
    return label


@pytest.fixture(scope="session")
def loaded(shared_data):
    return tuple(shared_data)


@pytest.fixture(scope="module")
def by_name(request):
    name = "tmp_path" if request.config.getoption("verbose") else "workdir"
    return request.getfixturevalue(name)


class TestSetup:
    @pytest.fixture(scope="class")
    def table(self, settings):
        return (settings,)

    def test_table(self, table, per_test):
        assert table
