"""Fixtures for the upload tests."""
from __future__ import annotations

import functools

# third party
import pytest  # the test framework
import os


def remove_upload(path):
    os.remove(path)


@pytest.fixture
def upload(request, tmp_path):
    path = tmp_path / "upload.bin"
    path.write_bytes(b"\0" * 16)
    request.addfinalizer(functools.partial(remove_upload, path))  # expect: FXL103
    return path
