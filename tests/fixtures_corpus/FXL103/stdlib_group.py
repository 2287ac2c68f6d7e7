"""Temporary data directories for the importer tests."""

from __future__ import annotations

# Standard library first.
import os
import shutil
from pathlib import Path

import pytest_asyncio

from myapp.importer import Importer


@pytest_asyncio.fixture
async def importer(request, tmp_path):
    inbox = Path(os.environ.get("IMPORT_INBOX", tmp_path))
    imp = await Importer.open(inbox)
    request.addfinalizer(shutil.rmtree(inbox / "done", ignore_errors=True))  # expect: FXL103
    request.addfinalizer(imp.close())  # expect: FXL103
    return imp
