import time

import pytest

from myapp.db import connect


@pytest.fixture
def users(db):
    for name in ("alice", "bob"):
        account = db.create_user(name)
        yield account  # expect: FXL204
        db.delete_user(account)


@pytest.fixture
def primary_then_replica():
    primary = connect("primary")
    yield primary
    primary.close()
    replica = connect("replica")
    yield replica  # expect: FXL204
    replica.close()


@pytest.fixture
def cached_settings(request):
    cached = request.config.cache.get("settings", None)
    if cached is not None:
        yield cached
        # Missing `return`: the fixture goes on to the second yield.
    settings = {"debug": True}
    request.config.cache.set("settings", settings)
    yield settings  # expect: FXL204


@pytest.fixture
def polling_feed(feed):
    while True:
        event = feed.next_event()
        yield event  # expect: FXL204


@pytest.fixture
def connection_with_retries():
    # The `break` after the teardown is missing: the next attempt connects and yields again.
    for attempt in range(3):
        try:
            conn = connect("primary")
        except ConnectionError:
            time.sleep(0.1 * attempt)
            continue
        yield conn  # expect: FXL204
        conn.close()


@pytest.fixture
def tenant_schemas(db, tenants):
    for tenant in tenants:
        db.create_schema(tenant)
        yield tenant  # expect: FXL204
        db.drop_schema(tenant)
