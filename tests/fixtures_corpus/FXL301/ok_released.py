"""Resources that something releases: teardown, finalizer, `with`, an owner, or an undo in teardown."""
import contextlib
import os
import signal
import sqlite3
import subprocess
import tempfile

import pytest


@pytest.fixture
def conn_with_teardown():
    conn = sqlite3.connect(":memory:")
    yield conn
    conn.close()


@pytest.fixture
def conn_with_finalizer(request):
    conn = sqlite3.connect(":memory:")
    request.addfinalizer(conn.close)
    return conn


@pytest.fixture
def log_file(tmp_path):
    with open(tmp_path / "log.txt", "w") as handle:
        yield handle


@pytest.fixture
def closing_conn():
    conn = sqlite3.connect(":memory:")
    with contextlib.closing(conn):
        yield conn


@pytest.fixture
def stacked(tmp_path):
    with contextlib.ExitStack() as stack:
        handle = open(tmp_path / "data.bin", "wb")
        stack.enter_context(handle)
        yield handle


@pytest.fixture
def nested_finalizer(request):
    proc = subprocess.Popen(["sleep", "30"])

    def stop():
        os.kill(proc.pid, signal.SIGTERM)

    request.addfinalizer(stop)
    return proc


@pytest.fixture
def server_in_teardown():
    proc = subprocess.Popen(["sleep", "30"], start_new_session=True)
    yield proc.pid
    os.killpg(proc.pid, signal.SIGTERM)


@pytest.fixture
def waited_process(tmp_path):
    proc = subprocess.Popen(["touch", str(tmp_path / "flag")])
    proc.wait()
    return tmp_path / "flag"


@pytest.fixture
def scratch_with_rmtree():
    import shutil

    path = tempfile.mkdtemp()
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def scratch_file():
    handle, path = tempfile.mkstemp(suffix=".json")
    os.close(handle)
    yield path
    os.remove(path)


class TestStoredOnTheClass:
    @pytest.fixture(autouse=True)
    def setup_db(self, request):
        conn = sqlite3.connect(":memory:")
        request.cls.conn = conn

    def teardown_method(self):
        self.conn.close()
