import tempfile
from typing import IO, Iterator

import pytest


@pytest.fixture
def log_file(tmp_path) -> IO[str]:
    # The application under test appends to this file.
    with open(tmp_path / "app.log", "w+") as fh:  # text mode, line buffered below
        fh.reconfigure(line_buffering=True)
        return fh  # expect: FXL206


@pytest.fixture(scope="module")
def scratch_dir():
    with tempfile.TemporaryDirectory(prefix="scratch-") as path:
        return path  # expect: FXL206


@pytest.fixture
def input_and_name(tmp_path):
    target = tmp_path / "input.csv"
    target.write_text("id,name\n1,ada\n")
    with target.open() as reader:
        return reader, target.name  # expect: FXL206
