import contextlib
import unittest
from unittest import mock
from unittest.mock import patch

import pytest

from myapp import mailer, uploads


@pytest.fixture
def send_patcher():
    # The test decides when to stop it.
    patcher = patch.object(mailer, "send")
    patcher.start()
    yield patcher


@pytest.fixture
def patcher_and_mock():
    patcher = patch.object(uploads, "put")
    put = patcher.start()
    return patcher, put


@pytest.fixture
def on_exit_stack():
    with contextlib.ExitStack() as stack:
        patcher = patch.object(uploads, "put")
        stack.callback(patcher.stop)
        yield patcher.start()


@pytest.fixture
def tracked(request):
    patcher = patch.object(mailer, "send")
    request.node.stash_patchers.append(patcher)
    yield patcher.start()


@pytest.fixture(scope="class")
def on_the_class(request):
    patcher = mock.patch.object(uploads, "BUCKET", "test-bucket")
    request.cls.bucket_patcher = patcher
    patcher.start()


@pytest.fixture
def loop_started_and_stopped():
    patchers = [patch.object(mailer, "send"), patch.object(uploads, "put")]
    for patcher in patchers:
        patcher.start()
    yield
    for patcher in patchers:
        patcher.stop()


class TestUploads:
    @pytest.fixture(autouse=True)
    def bucket(self):
        # teardown_method (or the test) may stop it: it is kept on the instance.
        self.bucket_patcher = patch.object(uploads, "BUCKET", "test-bucket")
        self.bucket_patcher.start()

    def teardown_method(self, method):
        self.bucket_patcher.stop()


class TestLegacyUploads(unittest.TestCase):
    @pytest.fixture(autouse=True)
    def fake_put(self):
        patcher = patch.object(uploads, "put")
        self.put = patcher.start()
        self.addCleanup(patcher.stop)
