import os

from pytest import fixture


@fixture(scope="class")
def locale_env():
    # `pytest` itself is not imported, so there is no name for `pytest.MonkeyPatch.context()`.
    os.environ["LC_ALL"] = "C.UTF-8"  # expect: FXL303
    yield "C.UTF-8"


@fixture(scope="module")
def tz_env():
    mp = "taken"  # the name the rewrite would use is already in use
    os.environ["TZ"] = "UTC"  # expect: FXL303
    yield mp
