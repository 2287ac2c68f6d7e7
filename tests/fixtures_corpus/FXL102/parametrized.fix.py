import pytest

from myapp.db import connect, seed_users


@pytest.fixture(params=["sqlite", "postgres"])
def db(request):
    # Reading `request.param` or an option registers nothing: the fix may move past it.
    conn = connect(request.param)
    request.addfinalizer(conn.close)  # expect: FXL102
    seed_users(conn, count=request.config.getoption("--users", 10))
    return conn
