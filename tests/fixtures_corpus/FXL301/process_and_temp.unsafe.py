import shutil
import subprocess
import tempfile
import threading

import pytest as pt


def _poll_forever():
    while True:
        threading.Event().wait(1)


@pt.fixture(scope="session")
def worker_process():
    proc = subprocess.Popen(["python", "-m", "http.server", "8765"])  # expect: FXL301
    return "http://localhost:8765"


@pt.fixture
def scratch_dir():
    path = tempfile.mkdtemp(prefix="scratch-")  # expect: FXL301
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pt.fixture
def ticker():
    thread = threading.Thread(target=_poll_forever, daemon=True)  # expect: FXL301
    thread.start()
    return thread.name
