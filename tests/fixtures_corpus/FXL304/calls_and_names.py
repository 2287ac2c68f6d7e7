import collections
import os
from collections import OrderedDict as ODict, deque

import pytest

from myapp.catalog import load_rows


@pytest.fixture(scope="session")
def environment():
    return dict(os.environ)  # expect: FXL304


@pytest.fixture(scope="module")
def rows():
    return list(load_rows())  # expect: FXL304


@pytest.fixture(scope="module")
def index():
    return collections.defaultdict(list)  # expect: FXL304


@pytest.fixture(scope="session")
def ordered_columns():
    return ODict(id=int, name=str)  # expect: FXL304


@pytest.fixture(scope="module")
def word_counts():
    return collections.Counter("the quick brown fox".split())  # expect: FXL304


@pytest.fixture(scope="module")
def recent_events():
    yield deque(maxlen=10)  # expect: FXL304


@pytest.fixture(scope="session")
def buffer():
    return bytearray(1024)  # expect: FXL304


@pytest.fixture(scope="session")
def settings(tmp_path_factory):
    config = {"debug": False}
    config["data_dir"] = str(tmp_path_factory.mktemp("data"))
    return config  # expect: FXL304


@pytest.fixture(scope="module")
def users():
    names = []
    for row in load_rows():
        names.append(row.user)
    names += ["admin"]
    yield names  # expect: FXL304
    print("done with users")


@pytest.fixture(scope="module")
def grouped():
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for row in load_rows():
        groups[row.kind].append(row.name)
    return groups  # expect: FXL304
