import collections

import pytest


@pytest.fixture
def cart():
    # Function scope: every test gets a fresh list.
    return []


@pytest.fixture(scope="function")
def headers():
    return {"Accept": "application/json"}


@pytest.fixture()
def counts():
    yield collections.Counter()


def pick_scope(fixture_name, config):
    return "session" if config.getoption("--reuse") else "function"


@pytest.fixture(scope=pick_scope)
def registry():
    # The scope is chosen at run time: nothing can be claimed about sharing.
    return {}


class TestCart:
    @pytest.fixture
    def items(self):
        return ["apple"]

    def test_add(self, items):
        items.append("pear")
        assert len(items) == 2
