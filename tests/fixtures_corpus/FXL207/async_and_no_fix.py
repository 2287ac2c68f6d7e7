import pytest
import pytest_asyncio as pa

from myapp.http import Session
from myapp.tracing import Tracer, span


@pa.fixture
async def session(base_url):
    await Session(base_url).__aenter__()  # expect: FXL207
    yield Session.current()


@pa.fixture
async def named_session(base_url):
    s = Session(base_url)
    opened = await s.__aenter__()  # expect: FXL207
    await opened.get("/health")
    yield opened


@pytest.fixture
def tracer():
    # Not fixed: a non-generator fixture has no `yield` to put a `with` around.
    return Tracer("tests").__enter__()  # expect: FXL207


@pytest.fixture
def request_span(request, tracer):
    # Not fixed: the enter happens inside the `if`, the yield outside it.
    current = None
    if request.node.get_closest_marker("traced"):
        current = span(request.node.name).__enter__()  # expect: FXL207
    yield current


@pytest.fixture(scope="module")
def blocking_session(runner):
    # A sync fixture driving the async context manager through an asyncio.Runner.
    return runner.run(Session("http://localhost").__aenter__())  # expect: FXL207
