"""Look like leaks, are not: a resource used only inside the fixture, one that lives under
`tmp_path`, one that deletes itself, one owned by another object, or a name that is not the builtin."""
import sqlite3
import tempfile
import threading
from http.server import HTTPServer, SimpleHTTPRequestHandler
from os import O_RDONLY, open

import pytest


class Database:
    def __init__(self, conn):
        self.conn = conn

    def close(self):
        self.conn.close()


@pytest.fixture
def row_count():
    conn = sqlite3.connect(":memory:")
    conn.execute("create table t (x int)")
    return conn.execute("select count(*) from t").fetchone()[0]


@pytest.fixture
def under_tmp_path(tmp_path):
    return tempfile.mkdtemp(dir=tmp_path)


@pytest.fixture
def self_deleting():
    return tempfile.NamedTemporaryFile(suffix=".txt")


@pytest.fixture
def wrapped():
    conn = sqlite3.connect(":memory:")
    db = Database(conn)
    yield db
    db.close()


@pytest.fixture
def raw_descriptor(tmp_path):
    (tmp_path / "x").write_text("x")
    return open(str(tmp_path / "x"), O_RDONLY)


@pytest.fixture
def stopped_by_event():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    yield thread
    stop.set()


@pytest.fixture
def never_started():
    return threading.Thread(target=print)


class TestPolling:
    @pytest.fixture(autouse=True)
    def poller(self):
        # `teardown_method` stops the loop through `self.dialog`, which the thread's target belongs to.
        self.dialog = Dialog()
        thread = threading.Thread(target=self.dialog.poll)
        thread.start()

    def teardown_method(self):
        self.dialog.stop()


class Dialog:
    polling = True

    def poll(self):
        while self.polling:
            threading.Event().wait(0.1)

    def stop(self):
        self.polling = False


@pytest.fixture
def free_port():
    # The server is garbage as soon as the fixture returns; only its port number is handed out.
    server = HTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
    return server.server_port
