import pytest

from myapp.queue import Broker


@pytest.fixture(scope="module")
def broker():
    b = Broker()  # expect: FXL201
    try:
        b.declare_queue("jobs")
        yield b
    finally:
        b.close()


@pytest.fixture
def broker_inside_with(tmp_path):
    b = Broker()  # expect: FXL201
    try:
        with open(tmp_path / "log.txt", "w") as log:
            b.attach_log(log)
            yield b
    finally:
        b.close()
