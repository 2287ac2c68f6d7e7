import pytest

from myapp.db import Database


class TestMigrations:
    # expect: FXL010
    @pytest.fixture(scope="class")
    @classmethod  # expect: FXL014
    def database(cls):
        db = Database.create("migrations")
        yield db
        db.drop()
