"""Released in ways that are easy to miss: a `finally` around the yield, a callback handed to
`weakref.finalize`, a requesting fixture's teardown, a polling loop that reaps the process."""
import shutil
import subprocess
import tempfile
import threading
import weakref

import pytest


@pytest.fixture
def watcher():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        yield thread
    finally:
        stop.set()


@pytest.fixture
def sidecar(request):
    proc = subprocess.Popen(["sleep", "30"])
    weakref.finalize(request.node, proc.kill)
    return proc


@pytest.fixture
def raw_dir():
    return tempfile.mkdtemp()


@pytest.fixture
def workdir(raw_dir):
    yield raw_dir
    shutil.rmtree(raw_dir)


@pytest.fixture
def built_once(tmp_path):
    proc = subprocess.Popen(["touch", str(tmp_path / "built")])
    while proc.poll() is None:
        threading.Event().wait(0.01)
    return tmp_path / "built"
