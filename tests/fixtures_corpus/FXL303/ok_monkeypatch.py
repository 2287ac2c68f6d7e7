import os
import sys
from unittest import mock

import pytest

from myapp import config


@pytest.fixture
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.chdir("/")
    monkeypatch.setattr(config, "STRICT", True)
    monkeypatch.setitem(sys.modules, "myapp.backend", object())


@pytest.fixture(scope="module")
def module_env():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("APP_MODE", "test")
        mp.syspath_prepend("/opt/plugins")
        yield


@pytest.fixture
def patched_dict():
    # patch.dict restores the whole mapping when the block ends, direct writes included.
    with mock.patch.dict(os.environ, {"APP_MODE": "test"}):
        os.environ["APP_DEBUG"] = "1"
        yield


@pytest.fixture(scope="session")
def session_patch():
    mp = pytest.MonkeyPatch()
    try:
        mp.setattr(config, "CACHE_URL", "memory://")
        yield
    finally:
        mp.undo()


@pytest.fixture(scope="session")
def undone_by_finalizer(request):
    mp = pytest.MonkeyPatch()
    request.addfinalizer(mp.undo)
    mp.setenv("APP_MODE", "test")


@pytest.fixture
def handed_to_the_test():
    # The test receives the instance and undoes what it patched.
    yield pytest.MonkeyPatch()


@pytest.fixture
def kept_for_the_test():
    mp = pytest.MonkeyPatch()
    mp.setenv("APP_MODE", "test")
    return mp
