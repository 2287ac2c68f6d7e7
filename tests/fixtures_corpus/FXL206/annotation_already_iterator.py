import os
from collections.abc import Iterator
from unittest import mock

import pytest


@pytest.fixture
def patched_env() -> Iterator[dict]:
    # The annotation already says "generator": the fix keeps it.
    with mock.patch.dict(os.environ, {"APP_MODE": "test"}) as env:
        return env  # expect: FXL206
