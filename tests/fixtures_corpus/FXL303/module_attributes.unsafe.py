import logging

import pytest
from django.conf import settings

import myapp.config as config
from myapp import cache


@pytest.fixture
def fast_retries(monkeypatch):
    monkeypatch.setattr(config, "RETRY_DELAY", 0, raising=False)  # expect: FXL303
    monkeypatch.setattr(config, "MAX_RETRIES", 1, raising=False)  # expect: FXL303
    return config


@pytest.fixture
def no_cache(monkeypatch):
    monkeypatch.delattr(cache, "backend")  # expect: FXL303
    monkeypatch.delattr(config, "CACHE_URL")  # expect: FXL303


@pytest.fixture
def debug_mode(
    db,
    client,
    monkeypatch,
):
    monkeypatch.setattr(settings, "DEBUG", True, raising=False)  # expect: FXL303
    monkeypatch.setattr(logging, "raiseExceptions", True, raising=False)  # expect: FXL303
    return client
