import pytest

from myapp.db import connect, seed_users

DSN = "postgresql://localhost/test"


@pytest.fixture
def db(request):
    request.addfinalizer(lambda: conn.close())  # expect: FXL101
    conn = connect(DSN)
    return conn


@pytest.fixture
def seeded_db(request):
    # Drop everything we created, even when seeding fails half-way.
    request.addfinalizer(lambda: conn.execute("drop schema test cascade"))  # expect: FXL101

    conn = connect(DSN)
    seed_users(conn)
    return conn
