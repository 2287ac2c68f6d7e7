import subprocess
import sys

import pytest

from myapp import create_app, db


@pytest.fixture
def server_process():
    proc = subprocess.Popen([sys.executable, "-m", "http.server", "0"])
    yield proc
    # Several steps, one resource: if terminate() fails, wait() has nothing to wait for.
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def database(app):
    with app.app_context():
        db.create_all()
        yield db
        # The session belongs to `db`: both steps tear down the same thing.
        db.session.remove()
        db.drop_all()


@pytest.fixture
def http_server(request):
    server = create_app().make_server(port=0)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def volume(volume_driver):
    vol = volume_driver.create("scratch", mounted=True)
    yield vol
    # Unmount, then remove the same volume: one resource.
    vol.unmount()
    volume_driver.remove(vol)
