import os
import shutil as sh

import pytest

from myapp.reports import render_report


def discard(path, *, missing_ok=False):
    if path.exists() or not missing_ok:
        path.unlink()


@pytest.fixture
def report(request, tmp_path, report_server):
    out = tmp_path / "report.html"
    render_report(out)
    request.addfinalizer(sh.rmtree(tmp_path / "assets"))  # expect: FXL103
    request.addfinalizer(os.remove(out))  # expect: FXL103
    request.addfinalizer(report_server.shutdown())  # expect: FXL103
    request.addfinalizer(discard(  # keep this comment  # expect: FXL103
        out.with_suffix(".log"), missing_ok=True))
    return out
