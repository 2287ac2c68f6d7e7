import subprocess
import sys

import pytest

from myapp.testing import start_containers


@pytest.fixture(scope="session")
def services():
    db, cache, broker = start_containers("postgres", "redis", "rabbitmq")
    yield db, cache, broker
    try:
        # Stop in the reverse order of start.
        broker.stop()  # expect: FXL202
    finally:
        try:
            cache.stop()

        finally:
            db.stop()  # the slowest one


@pytest.fixture
def mailbox(smtp_server):
    inbox = smtp_server.open_mailbox("qa@example.com")
    try:
        yield inbox
    finally:
        try:
            inbox.purge()  # expect: FXL202
        finally:
            smtp_server.disconnect_all()


@pytest.fixture
def worker(job_queue):
    proc = subprocess.Popen([sys.executable, "-m", "myapp.worker"])
    yield proc
    try:
        if proc.poll() is None:  # expect: FXL202
            proc.kill()
            proc.wait(timeout=5)
    finally:
        job_queue.purge()


@pytest.fixture
def mounted_volume(request, volume_driver, tmp_path):
    volume = volume_driver.create("scratch")  # expect: FXL201
    mount = volume.mount(tmp_path / "mnt")
    yield mount
    if not request.config.getoption("--keep-volumes"):
        try:
            mount.unmount()  # expect: FXL202
        finally:
            volume_driver.remove(volume)
