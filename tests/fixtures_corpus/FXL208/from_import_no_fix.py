from pytest import yield_fixture

from myapp.plugins import registry

# The name is used beyond decorating fixtures, and `pytest` itself is not imported:
# reported without a fix.
session_fixture = yield_fixture(scope="session")


@yield_fixture  # expect: FXL208
def clean_registry():
    yield
    registry.clear()
