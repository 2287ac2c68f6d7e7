import os as _os
import sys
from os import environ

from pytest import fixture as fx

from myapp import plugins


@fx
def workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # expect: FXL303
    monkeypatch.setenv("APP_HOME", str(tmp_path))  # expect: FXL303
    return tmp_path


@fx(autouse=True)
def fake_plugin_module(monkeypatch):
    # Replaces the real plugin package for every test in this file, and for all later ones.
    monkeypatch.setitem(sys.modules, "myapp.plugins.extra", plugins.FakeExtra())  # expect: FXL303
    monkeypatch.syspath_prepend("/opt/plugins")  # expect: FXL303


@fx
def no_gpu(monkeypatch):
    monkeypatch.delitem(sys.modules, "cupy", raising=False)  # expect: FXL303
    monkeypatch.delitem(sys.modules, "numba.cuda")  # expect: FXL303
