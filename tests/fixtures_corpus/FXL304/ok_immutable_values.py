import types
from collections import namedtuple
from dataclasses import dataclass

import pytest

Point = namedtuple("Point", "x y")


@dataclass(frozen=True)
class Settings:
    debug: bool
    retries: int


@pytest.fixture(scope="session")
def formats():
    return ("json", "yaml")


@pytest.fixture(scope="session")
def reserved_ports():
    return frozenset({80, 443})


@pytest.fixture(scope="module")
def default_headers():
    return types.MappingProxyType({"Accept": "application/json"})


@pytest.fixture(scope="module")
def origin():
    return Point(0, 0)


@pytest.fixture(scope="session")
def settings():
    # An object, not a plain container: whether it can change is its own business.
    return Settings(debug=False, retries=3)


@pytest.fixture(scope="session")
def plugin_names():
    return tuple(name.lower() for name in ["A", "B"])


@pytest.fixture(scope="module")
def name_list():
    names = ["b", "a"]
    names.sort()
    names = tuple(names)  # rebound to a tuple before it is handed out
    return names


@pytest.fixture(scope="module")
def header_text():
    return "\n".join(["a: 1", "b: 2"])
