import types as t

import pytest


@pytest.fixture(scope="session")
def default_headers():
    return t.MappingProxyType({"Accept": "application/json"})  # expect: FXL304


@pytest.fixture(scope="module")
def status_names():
    return t.MappingProxyType({code: code.phrase for code in load_codes()})  # expect: FXL304


@pytest.fixture(scope="module")
def limits():
    return t.MappingProxyType({"max_items": 100})


def load_codes():
    return []
