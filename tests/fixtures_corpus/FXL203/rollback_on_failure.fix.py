import pytest

from myapp.db import engine


@pytest.fixture
def transaction():
    conn = engine.connect()  # expect: FXL201
    try:
        tx = conn.begin()
        try:
            yield conn
        except Exception:  # expect: FXL203
            # Meant to undo what a failing test wrote.
            tx.rollback()
            raise
        else:
            tx.commit()
    finally:
        conn.close()


@pytest.fixture
def scratch_table(db):
    db.execute("create table scratch (id int)")
    try:
        yield db
    except Exception:  # expect: FXL203
        db.execute("drop table scratch")
        raise


@pytest.fixture
def uploaded_file(storage):
    key = storage.put("report.csv", b"a,b\n")
    try:
        yield key
    except (OSError, TimeoutError) as exc:  # expect: FXL203
        storage.log_failure(key, exc)
        storage.delete(key)
