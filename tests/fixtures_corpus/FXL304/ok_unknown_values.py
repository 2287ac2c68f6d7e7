import copy
import json

import pytest

from myapp.config import DEFAULTS, load_config

CATALOG = {"a": 1}


@pytest.fixture(scope="session")
def config(tmp_path_factory):
    # What load_config returns is not known to be a plain container.
    return load_config(tmp_path_factory.mktemp("cfg"))


@pytest.fixture(scope="session")
def defaults():
    # A module-level name: not a container this fixture builds.
    return DEFAULTS


@pytest.fixture(scope="module")
def catalog():
    return CATALOG


@pytest.fixture(scope="module")
def snapshot():
    return copy.deepcopy(DEFAULTS)


@pytest.fixture(scope="module")
def parsed(shared_text):
    data = {}
    if shared_text:
        data = json.loads(shared_text)
    return data


@pytest.fixture(scope="module")
def last_row():
    for row in [[1], [2]]:
        pass
    return row


@pytest.fixture(scope="module")
def make_headers():
    # A factory: every call builds a new dict.
    def make(**extra):
        return {"Accept": "application/json", **extra}

    return make


@pytest.fixture(scope="session")
def delegated():
    yield from build_values()


@pytest.fixture(scope="module", params=[[1, 2], [3]])
def batch(request):
    return request.param


@pytest.fixture(scope="module")
def passthrough(items):
    return items


def build_values():
    yield []
