"""Undone by code that runs after the fixture: a requested fixture's teardown, an xunit
teardown of the class or module, and pytester's own snapshot of cwd, sys.path and sys.modules."""
import os
import sys

import pytest

ORIGINAL_CWD = os.getcwd()


@pytest.fixture
def saved_path():
    saved = list(sys.path)
    yield
    sys.path[:] = saved


@pytest.fixture
def plugin_dir(saved_path, tmp_path):
    sys.path.insert(0, str(tmp_path))
    return tmp_path


@pytest.fixture
def in_build_dir(tmp_path):
    os.chdir(tmp_path)
    return tmp_path


def teardown_module():
    os.chdir(ORIGINAL_CWD)


class TestFlags:
    @pytest.fixture(autouse=True)
    def feature_flag(self):
        os.environ["APP_FLAG"] = "on"

    def teardown_method(self):
        del os.environ["APP_FLAG"]

    def test_flag(self):
        assert os.environ["APP_FLAG"] == "on"


@pytest.fixture
def project(pytester):
    os.chdir(pytester.path)
    sys.modules.pop("project_conf", None)
    return pytester.path


@pytest.fixture
def fresh_plugins():
    # Dropping a cached value: the next access computes it again, so nothing is left missing.
    import contextlib

    with contextlib.suppress(AttributeError):
        del pytest.cached_plugins
    try:
        del os.cached_environ_view
    except AttributeError:
        pass
