import contextlib
import importlib
import os
import sys

import pytest

from myapp import config, registry


@pytest.fixture
def utc():
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    yield "UTC"
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old


@pytest.fixture
def in_tmp_dir(tmp_path):
    previous = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(previous)


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory):
    root = tmp_path_factory.mktemp("plugins")
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))


@pytest.fixture
def isolated_path():
    saved = sys.path[:]
    sys.path.append("/opt/extra")
    yield
    sys.path[:] = saved


@pytest.fixture
def clean_environment():
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update({"HOME": "/tmp", "PATH": "/usr/bin"})
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def strict_config(request):
    config.STRICT = True
    request.addfinalizer(lambda: importlib.reload(config))
    return config


@pytest.fixture
def fake_backend(request):
    sys.modules["myapp.backend"] = FakeBackend()

    def forget():
        sys.modules.pop("myapp.backend", None)

    request.addfinalizer(forget)


@pytest.fixture
def built_with_debug():
    # Switched on only while building, and off again before the test starts.
    config.DEBUG = True
    app = build_app()
    del config.DEBUG
    return app


@pytest.fixture
def empty_registry():
    registry.HANDLERS = {}
    yield registry
    registry.reset_handlers()


@pytest.fixture
def saved_and_restored():
    original = registry.DEFAULT_TIMEOUT
    registry.DEFAULT_TIMEOUT = 0.1
    yield
    registry.DEFAULT_TIMEOUT = original


@pytest.fixture
def proxy_off():
    proxy = os.environ.pop("HTTPS_PROXY", None)
    yield
    if proxy is not None:
        os.environ["HTTPS_PROXY"] = proxy


@pytest.fixture
def restored_by_helper():
    snapshot = os.environ.copy()
    os.environ["FEATURE_X"] = "on"
    yield
    restore_environment(snapshot)


@pytest.fixture
def scratch_dir(tmp_path):
    # The ExitStack is handed the function that changes back; it runs it on exit.
    with contextlib.ExitStack() as stack:
        stack.callback(os.chdir, os.getcwd())
        os.chdir(tmp_path)
        yield tmp_path


@pytest.fixture
def offline():
    # A context manager whose name says it saves the environment restores it on exit.
    with preserved_environ():
        os.environ["APP_OFFLINE"] = "1"
        yield
