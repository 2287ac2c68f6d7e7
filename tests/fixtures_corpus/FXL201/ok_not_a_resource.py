import os
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
