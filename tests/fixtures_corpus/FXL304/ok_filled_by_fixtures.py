import pytest


# A log that the fixtures below fill on purpose, so the test can check the order in which
# pytest set them up: sharing the list is the point.
@pytest.fixture(scope="session")
def setup_log():
    return []


@pytest.fixture(scope="module")
def database(setup_log):
    setup_log.append("database")


@pytest.fixture(scope="class")
def seen_plugins():
    plugins = set()
    return plugins


@pytest.fixture(scope="class")
def plugin(seen_plugins, database):
    seen_plugins.add("plugin")


class TestStartup:
    def test_order(self, setup_log, database, plugin, seen_plugins):
        assert setup_log == ["database"]
        assert seen_plugins == {"plugin"}
