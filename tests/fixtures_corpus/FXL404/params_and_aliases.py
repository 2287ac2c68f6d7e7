import functools

import pytest
from pytest import fixture

from shop.db import Engine

session_fixture = pytest.fixture(scope="session")
module_fixture = functools.partial(pytest.fixture, scope="module")


@fixture(scope="session", params=["sqlite", {"url": "postgres://"}])
def engine(request):
    # Asking about the parameter says nothing about the scope.
    options = getattr(request, "param", None)
    if isinstance(request.param, dict):
        options = request.param["url"]
    return Engine(options, label=request.module.__name__)  # expect: FXL404


@session_fixture
def tracing_engine(engine, request):
    engine.trace(request.path.stem)  # expect: FXL404
    return engine


@module_fixture
def tables(engine, request):
    created = tuple(engine.create(name) for name in getattr(request.cls, "TABLES", ()))  # expect: FXL404
    yield created
    engine.drop_all()
