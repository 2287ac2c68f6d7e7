import pytest

from myapp.db import connect, seed


@pytest.fixture
def json_db(request):
    # Moving the finalizer above the skip would run it on the skip path too: unsafe.
    conn = connect()
    request.addfinalizer(conn.close)  # expect: FXL102
    if not conn.supports_json:
        pytest.skip("needs json")
    seed(conn)
    return conn
