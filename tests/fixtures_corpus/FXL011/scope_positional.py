import pytest

from myapp.db import create_engine


@pytest.fixture("module")  # expect: FXL011
def engine():
    eng = create_engine("sqlite://")
    yield eng
    eng.dispose()


@pytest.fixture("session", autouse=True)  # expect: FXL011
def configure_logging():
    import logging

    logging.basicConfig(level=logging.DEBUG)


class TestQueries:
    @pytest.fixture(
        "class",  # shared by the whole class  # expect: FXL011
    )
    def table(self, engine):
        return engine.table("users")
