import pytest

from myapp.db import engine
from myapp.server import start_server


@pytest.fixture
def close_on_any_exit():
    conn = engine.connect()
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture
def generator_closed(pool):
    conn = pool.acquire()
    try:
        yield conn
    except GeneratorExit:
        # Runs when the generator is closed without being finished.
        pool.discard(conn)
        raise
    else:
        pool.release(conn)


@pytest.fixture
def everything(pool):
    conn = pool.acquire()
    try:
        yield conn
    except BaseException:
        pool.discard(conn)
        raise
    else:
        pool.release(conn)


@pytest.fixture
def server_or_skip():
    # The handler covers setup, and it ends by skipping: ordinary setup error handling.
    try:
        server = start_server(port=0)
        yield server
    except OSError as exc:
        pytest.skip(f"cannot start the server: {exc}")


@pytest.fixture
def commit_or_roll_back():
    # The handler catches errors of `commit()`, which runs inside the `try` after the test.
    with engine.connect() as conn:
        tx = conn.begin()
        try:
            yield conn
            tx.commit()
        except engine.DatabaseError:
            tx.rollback()


@pytest.fixture
def nothing_to_do_in_handler():
    try:
        yield
    except Exception:
        pass
