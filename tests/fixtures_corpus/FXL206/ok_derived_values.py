import json
import threading
from dataclasses import dataclass

import pytest

from myapp.config import Settings


@dataclass
class Snapshot:
    text: str


@pytest.fixture
def config_text(tmp_path):
    with open(tmp_path / "config.json") as fh:
        return fh.read()


@pytest.fixture
def settings(tmp_path):
    with open(tmp_path / "config.json") as fh:
        return Settings(**json.load(fh))


@pytest.fixture
def first_line(tmp_path):
    with open(tmp_path / "notes.txt") as fh:
        line = fh.readline()
    return line


@pytest.fixture
def file_size(tmp_path):
    with open(tmp_path / "notes.txt", "rb") as fh:
        fh.seek(0, 2)
        return fh.tell()


@pytest.fixture
def rebound(tmp_path):
    with open(tmp_path / "notes.txt") as fh:
        fh = Snapshot(fh.read())
        return fh


_lock = threading.Lock()


@pytest.fixture
def counter_value():
    # `with` without `as`: nothing bound by the block is handed out.
    with _lock:
        return 41 + 1


@pytest.fixture
def other_value(tmp_path):
    # The `as` target is not what is returned.
    with open(tmp_path / "notes.txt", "w") as fh:
        fh.write("x")
        return tmp_path / "notes.txt"


def open_notes(path):
    # Not a fixture: a helper may hand out whatever it likes.
    with open(path) as fh:
        return fh
