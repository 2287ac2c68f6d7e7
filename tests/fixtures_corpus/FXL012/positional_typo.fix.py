import pytest

from myapp.workers import WorkerPool


@pytest.fixture(scope="sesion")  # expect: FXL011, FXL012
def pool():
    p = WorkerPool(size=2)
    yield p
    p.shutdown()
