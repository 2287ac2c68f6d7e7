import os
import threading
from unittest import mock

import pytest


@pytest.fixture
def in_tmp_dir(tmp_path):
    # Saved state, not a resource: if chdir fails nothing needs restoring.
    old = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)


@pytest.fixture
def patched_clock():
    # Creating a patcher acquires nothing; the patch is active only after start().
    patcher = mock.patch("time.time", return_value=0.0)
    fake = patcher.start()
    fake.configure_mock(name="clock")
    yield fake
    patcher.stop()


@pytest.fixture
def conditional(request):
    # Several paths to the yield: not analysed.
    conn = open_conn()
    if request.param:
        conn.prepare()
        yield conn
    else:
        yield None
    conn.close()


@pytest.fixture
def only_test_failures_matter():
    # Nothing fallible after the acquisition: a failing test still resumes the generator.
    conn = open_conn()
    yield conn
    conn.close()


@pytest.fixture
def bucket(s3):
    # Building a handle acquires nothing; create() does, and if it fails nothing exists.
    b = s3.Bucket("reports")
    b.create(ACL="private")
    yield b
    b.objects.delete()
    b.delete()


@pytest.fixture
def sample_dir(tmp_path_factory):
    # The teardown only checks the directory; nothing is released there.
    path = tmp_path_factory.mktemp("samples")
    write_samples(path)
    yield path
    assert path.joinpath("index.txt").exists()


@pytest.fixture
def unwritable_dir(tmp_path):
    # Restoring a saved mode is not releasing a resource.
    target = tmp_path.joinpath("locked")
    target.mkdir()
    mode = target.stat().st_mode
    target.chmod(0)
    check_permissions(target)
    yield target
    target.chmod(mode)


@pytest.fixture
def sample_tree(tmpdir_factory):
    # `path.join(...)` in the check after `yield` is not a release of `path`.
    path = tmpdir_factory.mktemp("tree")
    build_tree(path)
    yield path
    assert path.join("index.txt").check()


@pytest.fixture
def plotting():
    # importorskip returns a module: nothing is acquired, and close("all") closes figures.
    plt = pytest.importorskip("matplotlib.pyplot")
    plt.close("all")
    yield plt
    plt.close("all")


@pytest.fixture
def http_server():
    # shutdown() waits for serve_forever() to stop: it may only run once the thread started
    # it, so running it when thread.start() failed would hang instead of cleaning up.
    server = make_http_server(("127.0.0.1", 0))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
