import os

import pytest

from myapp import config

SCOPE = determine_scope()


@pytest.fixture(scope="session", autouse=True)
def test_environment(tmp_path_factory):
    # Meant for the whole run: every test must see it, and nothing runs after the session.
    os.environ["APP_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    config.OFFLINE = True


@pytest.fixture(scope=SCOPE)
def dynamic_scope():
    # The scope is not a literal: which tests share it is unknown.
    os.environ["APP_MODE"] = "test"
