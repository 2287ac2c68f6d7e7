import functools
import os
from functools import partial as bind

import pytest

import myapp.testing as testing_helpers
from myapp.db import connect, drop_database
from myapp.env import restore_env
from myapp.testing import make_cleanup


def closer_for(conn):
    return lambda: conn.close()


def undo(conn):
    def rollback_and_close():
        conn.rollback()
        conn.close()

    return rollback_and_close


@pytest.fixture
def partials(request):
    conn = connect("sqlite://")
    request.addfinalizer(functools.partial(conn.execute, "drop table t"))
    request.addfinalizer(bind(conn.close))
    return conn


@pytest.fixture
def factories_defined_here(request):
    conn = connect("sqlite://")
    request.addfinalizer(closer_for(conn))
    request.addfinalizer(undo(conn))
    return conn


@pytest.fixture
def factory_from_elsewhere(request):
    # Imported helper: its name does not say it cleans up, so it may return the cleanup.
    conn = connect("sqlite://")
    request.addfinalizer(make_cleanup(conn))
    return conn


@pytest.fixture
def already_callables(request):
    conn = connect("sqlite://")
    request.addfinalizer(conn.close)
    request.addfinalizer(lambda: conn.close())
    return conn


@pytest.fixture
def close_callback_factory(request, resource_factory):
    res = resource_factory()
    request.addfinalizer(res.close_callback())
    request.addfinalizer(resource_factory.cleanup_hook())
    return res


@pytest.fixture
def imported_helpers_may_be_factories(request):
    # `restore_env` (defined elsewhere) returns the function that restores the saved copy;
    # what an imported function returns is unknown, whatever its name says.
    request.addfinalizer(restore_env(dict(os.environ)))
    os.environ["MODE"] = "test"
    request.addfinalizer(drop_database("scratch"))
    request.addfinalizer(testing_helpers.cleanup("scratch"))
    yield
