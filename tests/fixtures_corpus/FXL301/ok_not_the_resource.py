"""Names that only look like resources: the file is read and its text handed out, the module's
own `open`, and a parameter that happens to be called `sqlite3`."""
import pytest


def open(name):
    return {"name": name}


@pytest.fixture
def readme(tmp_path):
    (tmp_path / "README").write_text("hello")
    data = tmp_path.joinpath("README").open()
    data = data.read()
    return data


@pytest.fixture
def document():
    handle = open("doc")
    return handle


@pytest.fixture
def connection(sqlite3):
    conn = sqlite3.connect("fake")
    return conn
