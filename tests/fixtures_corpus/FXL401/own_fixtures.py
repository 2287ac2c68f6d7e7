"""A broad fixture that requests a narrower fixture of the same module."""

import pytest as pt


@pt.fixture
def connection_settings():
    return {"host": "localhost", "port": 5432}


@pt.fixture(scope="session")
def engine(connection_settings):  # expect: FXL401
    return "postgres://{host}:{port}".format(**connection_settings)


class TestQueries:
    @pt.fixture
    def row(self):
        return {"id": 1}

    @pt.fixture(scope="class")
    def inserted(self, row, engine):  # expect: FXL401
        return (row,)

    def test_insert(self, inserted):
        assert inserted
