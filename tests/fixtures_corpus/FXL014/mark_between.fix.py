import pytest

from myapp.db import Database


class TestMigrations:
    @classmethod  # expect: FXL014
    # expect: FXL010
    @pytest.fixture(scope="class")
    def database(cls):
        db = Database.create("migrations")
        yield db
        db.drop()
