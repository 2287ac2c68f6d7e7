from pytest import fixture as fx

from myapp.db import create_engine

BACKENDS = ["sqlite", "postgres"]


@fx("module", BACKENDS)  # expect: FXL011
def engine(request):
    eng = create_engine(request.param)
    yield eng
    eng.dispose()


@fx("function", ["en", "de"], False, ["english", "german"], "locale")  # expect: FXL011
def locale_fixture(request):
    return request.param
