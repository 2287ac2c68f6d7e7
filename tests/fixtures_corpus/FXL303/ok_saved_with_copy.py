"""`sys.path.copy()` saves the path (and `sys.path_hooks` is another name, not `sys.path`)."""
import sys

import pytest


@pytest.fixture
def plugin_path(tmp_path):
    saved = sys.path.copy()
    hooks = sys.path_hooks[:]
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path[:] = saved
