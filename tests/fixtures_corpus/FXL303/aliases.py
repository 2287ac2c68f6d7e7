import os as _os
import sys
from os import environ

from pytest import fixture as fx

from myapp import plugins


@fx
def workspace(tmp_path):
    _os.chdir(tmp_path)  # expect: FXL303
    environ["APP_HOME"] = str(tmp_path)  # expect: FXL303
    return tmp_path


@fx(autouse=True)
def fake_plugin_module():
    # Replaces the real plugin package for every test in this file, and for all later ones.
    sys.modules["myapp.plugins.extra"] = plugins.FakeExtra()  # expect: FXL303
    sys.path.insert(0, "/opt/plugins")  # expect: FXL303


@fx
def no_gpu():
    sys.modules.pop("cupy", None)  # expect: FXL303
    del sys.modules["numba.cuda"]  # expect: FXL303
