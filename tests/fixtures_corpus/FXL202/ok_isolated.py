import contextlib
import shutil
import tempfile

import pytest

from myapp.net import open_channel


@pytest.fixture
def channel(broker):
    chan = open_channel(broker)
    yield chan
    try:
        chan.close()
    finally:
        broker.disconnect()


@pytest.fixture
def best_effort(broker, cache):
    chan = open_channel(broker)
    yield chan
    with contextlib.suppress(ConnectionError):
        chan.close()
    try:
        cache.flush_and_close()
    except OSError:
        pass
    broker.disconnect()


@pytest.fixture
def scratch(broker):
    workdir = tempfile.mkdtemp()
    yield workdir
    # ignore_errors=True: this step does not raise, so the next one always runs.
    shutil.rmtree(workdir, ignore_errors=True)
    broker.disconnect()


@pytest.fixture
async def heartbeat(broker):
    task = broker.start_heartbeat()
    yield task
    # Cancelling only requests it: this step does not raise.
    task.cancel()
    await broker.aclose()


@pytest.fixture
def stacked(broker):
    with contextlib.ExitStack() as stack:
        chan = stack.enter_context(open_channel(broker))
        stack.callback(broker.disconnect)
        yield chan
