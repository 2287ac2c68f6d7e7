import pytest

from myapp.locks import FileLock, release_stale_locks


@pytest.fixture(scope="session")
def build_lock(tmp_path_factory):
    lock_path = tmp_path_factory.getbasetemp() / "build.lock"
    try:
        with FileLock(lock_path) as lock:
            return lock  # expect: FXL206
    finally:
        release_stale_locks(lock_path)


@pytest.fixture
def checked_lock(tmp_path):
    # Not fixed: the `else:` would run at teardown instead of never.
    try:
        with FileLock(tmp_path / "x.lock") as lock:
            return lock  # expect: FXL206
    except TimeoutError:
        pytest.skip("lock is busy")
    else:
        pytest.fail("unreachable")
