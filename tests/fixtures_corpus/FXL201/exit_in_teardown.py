import pytest

from myapp.db import create_database, drop_database, migrate


@pytest.fixture
def database(request):
    # The `return` keeps the database on request; a `finally` would drop it anyway,
    # so this is reported without a fix.
    db = create_database()  # expect: FXL201
    keep = request.config.getoption("--keep-db")
    migrate(db)
    yield db
    if keep:
        return
    drop_database(db)
