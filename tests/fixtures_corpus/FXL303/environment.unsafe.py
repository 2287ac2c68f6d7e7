import os
import time

import pytest


@pytest.fixture
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")  # expect: FXL303
    time.tzset()
    return "UTC"


@pytest.fixture
def offline_client(tmp_path, monkeypatch):
    # Pretend there is no proxy and no network, and keep the cache in tmp_path.
    monkeypatch.delenv("HTTPS_PROXY")  # expect: FXL303
    monkeypatch.delenv("NO_PROXY", raising=False)  # expect: FXL303
    monkeypatch.setenv("APP_OFFLINE", "1")  # expect: FXL303
    monkeypatch.setenv("APP_CACHE", str(tmp_path))
    return make_client()


@pytest.fixture
def verbose_logging(monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")  # expect: FXL303
    monkeypatch.setenv("LOG_FORMAT", "plain")
    yield
    flush_logs()


@pytest.fixture
def locale(monkeypatch):
    import os as operating_system

    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.setenv("LC_ALL", "C")  # expect: FXL303
    yield "C"


@pytest.fixture
def app_home(monkeypatch):
    # Copying HOME's value is not a saved copy of APP_HOME.
    home = os.environ["HOME"]
    monkeypatch.setenv("APP_HOME", home)  # expect: FXL303
    return home


@pytest.fixture
def utf8_mode(monkeypatch):
    if os.name == "nt": monkeypatch.setenv("PYTHONUTF8", "1")  # expect: FXL303
