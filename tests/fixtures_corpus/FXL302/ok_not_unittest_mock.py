import threading

import pytest

from myapp.testing import patch
from myapp import inventory


@pytest.fixture
def own_patch_helper():
    # myapp.testing.patch registers its own undo; it is not unittest.mock.patch.
    patch(inventory, "count", 0).start()
    yield



@pytest.fixture
def ticker():
    thread = threading.Thread(target=inventory.tick, daemon=True)
    thread.start()
    yield thread
    inventory.stop_ticking()
    thread.join()
