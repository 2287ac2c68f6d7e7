import logging

import pytest
from django.conf import settings

import myapp.config as config
from myapp import cache


@pytest.fixture
def fast_retries():
    config.RETRY_DELAY = 0  # expect: FXL303
    setattr(config, "MAX_RETRIES", 1)  # expect: FXL303
    return config


@pytest.fixture
def no_cache():
    del cache.backend  # expect: FXL303
    delattr(config, "CACHE_URL")  # expect: FXL303


@pytest.fixture
def debug_mode(
    db,
    client,
):
    settings.DEBUG = True  # expect: FXL303
    logging.raiseExceptions = True  # expect: FXL303
    return client
