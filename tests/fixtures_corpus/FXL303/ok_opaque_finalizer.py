import os

import pytest

from myapp import config
from myapp.testing import restore_defaults


@pytest.fixture
def defaults_changed(request):
    # The finalizer is defined elsewhere: it may well restore what this fixture changes.
    request.addfinalizer(restore_defaults)
    os.environ["APP_MODE"] = "test"
    config.STRICT = True
