import os
import sys

import pytest

from myapp import config


@pytest.fixture
def child_env():
    # putenv changes what child processes inherit, but not os.environ: nothing to rewrite.
    os.putenv("LANG", "C")  # expect: FXL303
    os.unsetenv("LC_ALL")  # expect: FXL303


@pytest.fixture
def vendored_path():
    # monkeypatch can only prepend to sys.path.
    sys.path.append("/opt/vendor")  # expect: FXL303
    os.environ.setdefault("VENDOR_HOME", "/opt/vendor")  # expect: FXL303


@pytest.fixture(scope="module")
def plain_settings():
    # A module-scoped fixture that returns: no `yield` to put a `with` block around.
    config.STRICT = False  # expect: FXL303
    return config


@pytest.fixture
def token():
    # The popped value is used, so the statement is not a plain change.
    value = os.environ.pop("API_TOKEN")  # expect: FXL303
    return value


@pytest.fixture
def cache_off():
    # One change has a monkeypatch equivalent, the other does not: no partial rewrite.
    os.environ.clear()  # expect: FXL303
    os.environ["CACHE"] = "off"  # expect: FXL303


@pytest.fixture
def tools_on_path():
    # `+=` has no monkeypatch equivalent here, so neither change is rewritten.
    os.environ["PATH"] += os.pathsep + "/opt/tools/bin"  # expect: FXL303
    sys.path = ["/opt/tools/lib", *sys.path]  # expect: FXL303
