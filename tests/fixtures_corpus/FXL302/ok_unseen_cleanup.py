from unittest.mock import patch

import pytest

from myapp import inventory
from myapp.testing import undo_patches


@pytest.fixture
def helper_cleans_up():
    # undo_patches() lives in another module: it may well call patch.stopall().
    patch.object(inventory, "reserve").start()
    yield
    undo_patches()


@pytest.fixture
def imported_finalizer(request):
    request.addfinalizer(undo_patches)
    return patch.object(inventory, "reserve").start()
