import contextlib
import io
import sqlite3
import warnings

import pytest

from myapp.legacy import old_api


@pytest.fixture
def import_warnings():
    # The list of recorded warnings is meant to be read after the block.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old_api.load_plugins()
        return caught


@pytest.fixture
def startup_output():
    with contextlib.redirect_stdout(io.StringIO()) as out:
        old_api.print_banner()
        return out


@pytest.fixture
def captured_error():
    with pytest.raises(ValueError) as excinfo:
        old_api.parse("")
    return excinfo


@pytest.fixture
def memory_db(request):
    # sqlite3's exit commits the schema but does not close the connection; the finalizer does.
    with sqlite3.connect(":memory:") as conn:
        request.addfinalizer(conn.close)
        conn.execute("create table t (x)")
        return conn


@pytest.fixture
def shared_conn(memory_db):
    # `with obj as x` on an object that already exists: its exit may close nothing.
    with memory_db as conn:
        return conn


@pytest.fixture
def settings_override(tmp_path):
    # nullcontext hands back the value it was given and does nothing on exit.
    with contextlib.nullcontext({"cache_dir": str(tmp_path)}) as overrides:
        return overrides
