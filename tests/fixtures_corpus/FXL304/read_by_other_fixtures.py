import pytest

from myapp.storage import connect


@pytest.fixture(scope="session")
def storage_options():
    # Other fixtures only read it; a test that edits it still leaks into later tests.
    return {"endpoint_url": "http://localhost:5000", "anon": True}  # expect: FXL304


@pytest.fixture
def bucket(storage_options):
    client = connect(**storage_options)
    yield client.bucket("test")
    client.close()


@pytest.fixture
def anonymous(storage_options):
    return storage_options["anon"]
