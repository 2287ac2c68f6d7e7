import shutil
import tempfile

import pytest

from myapp.cache import CacheServer
from myapp.transforms import GRAPH, Transform


@pytest.fixture
def cache_dir_and_server():
    workdir = tempfile.mkdtemp()  # expect: FXL201
    try:
        server = CacheServer(workdir)
        yield server
        server.shutdown()  # expect: FXL202
    finally:
        shutil.rmtree(workdir)


@pytest.fixture
def release_order_blocks_the_fix():
    # The first release uses `server`, bound after `workdir`; it cannot move to `finally`
    # without meeting an unbound name, so this one is reported without a fix.
    workdir = tempfile.mkdtemp()  # expect: FXL201
    server = CacheServer(workdir)
    yield server
    try:
        shutil.rmtree(workdir)  # expect: FXL202
    finally:
        server.shutdown()


@pytest.fixture
def registered_transforms(graph_module):
    # `unregister(GRAPH)` with a module-level registry releases `first` itself.
    first = Transform("a", "b", register_with=GRAPH)  # expect: FXL201
    second = Transform("b", "a", register_with=GRAPH)
    yield first, second
    first.unregister(GRAPH)
    second.unregister(GRAPH)
