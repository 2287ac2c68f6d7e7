import os
import time

import pytest


@pytest.fixture
def utc():
    os.environ["TZ"] = "UTC"  # expect: FXL303
    time.tzset()
    return "UTC"


@pytest.fixture
def offline_client(tmp_path):
    # Pretend there is no proxy and no network, and keep the cache in tmp_path.
    del os.environ["HTTPS_PROXY"]  # expect: FXL303
    os.environ.pop("NO_PROXY", None)  # expect: FXL303
    os.environ.update({"APP_OFFLINE": "1", "APP_CACHE": str(tmp_path)})  # expect: FXL303
    return make_client()


@pytest.fixture
def verbose_logging():
    os.environ.update(LOG_LEVEL="DEBUG", LOG_FORMAT="plain")  # expect: FXL303
    yield
    flush_logs()


@pytest.fixture
def locale(monkeypatch):
    import os as operating_system

    monkeypatch.setenv("LANGUAGE", "en")
    operating_system.environ["LC_ALL"] = "C"  # expect: FXL303
    yield "C"


@pytest.fixture
def app_home():
    # Copying HOME's value is not a saved copy of APP_HOME.
    home = os.environ["HOME"]
    os.environ["APP_HOME"] = home  # expect: FXL303
    return home


@pytest.fixture
def utf8_mode():
    if os.name == "nt": os.environ["PYTHONUTF8"] = "1"  # expect: FXL303
