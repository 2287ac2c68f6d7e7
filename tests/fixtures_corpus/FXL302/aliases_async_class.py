import unittest.mock as um
from unittest.mock import patch as p

import pytest as pt
import pytest_asyncio
from pytest import fixture as fx

from myapp import mailer
from myapp.storage import BlobStore


@pytest_asyncio.fixture
async def outbox():
    sent = []
    um.patch.object(mailer, "send", side_effect=sent.append).start()  # expect: FXL302
    await mailer.warm_up()
    yield sent


@pt.fixture(scope="module")
def offline_store():
    blob_patcher = p.multiple(BlobStore, upload=um.DEFAULT, download=um.DEFAULT)
    mocks = blob_patcher.start()  # expect: FXL302
    yield mocks


class TestReports:
    @fx(autouse=True)
    def fixed_locale(self):
        locale_patcher = p("myapp.reports.LOCALE", "en_GB")
        locale_patcher.start()  # expect: FXL302
        yield
        self.rendered = None

    @fx(scope="class")
    def quiet_logging(self):
        um.patch("myapp.reports.log.warning").start()  # expect: FXL302
        yield
