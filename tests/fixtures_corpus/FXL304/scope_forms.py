import functools

import pytest

SCOPE = "session"
session_fixture = pytest.fixture(scope="session")
module_fixture = functools.partial(pytest.fixture, scope="module")


@pytest.fixture("module")  # expect: FXL011
def positional_scope():
    return ["a"]  # expect: FXL304


@pytest.fixture(scope=SCOPE)
def from_constant():
    return {"retries": 3}  # expect: FXL304


@session_fixture
def from_alias():
    return [1, 2, 3]  # expect: FXL304


@module_fixture(name="timeouts")
def from_partial_alias():
    return {"connect": 1.0, "read": 5.0}  # expect: FXL304


@pytest.fixture(scope="module", params=["utf-8", "latin-1"])
def encodings(request):
    return [request.param, "ascii"]  # expect: FXL304
