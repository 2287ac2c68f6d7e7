import logging

import pytest

from shop.db import connect

log = logging.getLogger(__name__)


@pytest.fixture(scope="session")
def server_log(request):
    handler = logging.FileHandler("server.log")
    log.addHandler(handler)
    request.addfinalizer(lambda: log.info("done with %s", request.path))  # expect: FXL404
    return handler


@pytest.fixture(scope="module")
def db(request):
    conn = connect("sqlite://")

    def report():
        log.info("closing the database of %s", request.function)  # expect: FXL404
        conn.close()

    request.addfinalizer(report)
    return conn


@pytest.fixture(scope="module")
def users(db, request):
    db.execute("create table users (name text)")
    yield db
    log.info("dropping users after %s", request.cls)  # expect: FXL404
    db.execute("drop table users")


@pytest.fixture(scope="class")
def make_user(db, request):
    def make(name):
        # A factory the test calls: it still holds the class-scoped request.
        return db.insert("users", name=name, created_by=request.function.__name__)  # expect: FXL404

    return make
