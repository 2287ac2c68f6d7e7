import logging
import sys

import pytest

from myapp.db import connect

log = logging.getLogger(__name__)


@pytest.fixture
def linux_namespace(tmp_path):
    if sys.platform.startswith("linux"):  # expect: FXL205
        ns = create_namespace(tmp_path)
        yield ns
        ns.destroy()


@pytest.fixture
def database():
    try:
        conn = connect("postgres://localhost/test")
    except ConnectionError:  # expect: FXL205
        log.warning("no database: tests that need it will fail")
    else:
        yield conn
        conn.close()


@pytest.fixture
def feature_flags(settings):
    if settings.flags_enabled:
        yield settings.flags
    else:  # expect: FXL205
        log.info("flags disabled")


def create_namespace(path):
    raise NotImplementedError
