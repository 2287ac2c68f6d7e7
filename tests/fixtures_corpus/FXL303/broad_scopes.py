import os
import shutil
import sys

import pytest as pt

from myapp import server, settings


@pt.fixture(scope="module")
def project_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    (root / "setup.cfg").write_text("[app]\n")

    os.chdir(root)  # expect: FXL303
    sys.path.insert(0, str(root))  # expect: FXL303
    yield root
    print("left", root)


@pt.fixture(scope="session")
def debug_settings():
    settings.DEBUG = True  # expect: FXL303
    settings.ALLOWED_HOSTS = ["*"]  # expect: FXL303
    srv = server.start()
    try:
        yield srv
    finally:
        srv.stop()


class TestReports:
    @pt.fixture(scope="class")
    def report_env(self):
        os.environ["REPORT_FORMAT"] = "csv"  # expect: FXL303
        yield "csv"


@pt.fixture(scope="package")
def build_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("build")
    try:
        os.chdir(root)  # expect: FXL303
        yield root
    finally:
        # Relative to the build directory: the change must still be in place here.
        shutil.rmtree("artifacts", ignore_errors=True)
