import pytest

from myapp.events import bus


@pytest.fixture(scope="module")
def received():
    # A shared accumulator on purpose: the teardown checks what the module's tests sent.
    events = []
    bus.subscribe(events.append)
    yield events
    bus.unsubscribe(events.append)
    assert all(event.acknowledged for event in events)


@pytest.fixture(scope="session")
def timings(request):
    # Read again by a finalizer at the end of the session.
    durations = {}
    request.addfinalizer(lambda: write_timings(request.config, durations))
    return durations


@pytest.fixture(scope="class")
def shared_state(request):
    # Stored on the class on purpose: the tests of the class build on each other.
    state = {}
    request.cls.state = state
    return state


@pytest.fixture(scope="module")
def created_ids():
    ids = set()
    try:
        yield ids
    finally:
        delete_all(ids)


@pytest.fixture(scope="session")
def cache():
    store = {}
    yield store
    store.clear()


def write_timings(config, durations):
    config.cache.set("timings", durations)


def delete_all(ids):
    for _ in ids:
        pass
