from pytest import fixture as fx

from myapp.db import create_engine

BACKENDS = ["sqlite", "postgres"]


@fx(scope="module", params=BACKENDS)  # expect: FXL011
def engine(request):
    eng = create_engine(request.param)
    yield eng
    eng.dispose()


@fx(scope="function", params=["en", "de"], autouse=False, ids=["english", "german"], name="locale")  # expect: FXL011
def locale_fixture(request):
    return request.param
