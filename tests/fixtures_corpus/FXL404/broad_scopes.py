import json

import pytest as pt

from shop.db import connect
from shop.reports import ReportWriter

WIDE = "session"


@pt.fixture(scope="module")
def database(request):
    # One database per test module, named after... the test function?
    name = request.function.__name__  # expect: FXL404
    conn = connect(f"sqlite:///{name}.db")
    yield conn
    conn.close()


@pt.fixture(scope="module")
def module_settings(request):
    # Reading the module is fine here; the class is not.
    settings = getattr(request.module, "SETTINGS", {})
    settings.update(getattr(request.cls, "SETTINGS", {}))  # expect: FXL404
    return settings


@pt.fixture(scope="class")
def per_class_writer(request):
    writer = ReportWriter(request.cls.__name__)
    writer.title(request.function.__doc__ or "")  # expect: FXL404
    return writer


@pt.fixture(scope=WIDE)
def golden_data(request):
    # The session has no single test file to read next to.
    folder = request.path.parent / "golden"  # expect: FXL404
    return json.loads((folder / "data.json").read_text())


@pt.fixture(scope="session", autouse=True)
def legacy_data_dir(request):
    return request.fspath.dirpath("data")  # expect: FXL404
