"""Fixtures for the report exporter."""
from functools import partial as bind

import pytest

from myapp.export import Exporter


class TestExport:
    @pytest.fixture
    def exporter(self, request, tmp_path):
        exp = Exporter(tmp_path)
        request.node.addfinalizer(exp.close())  # expect: FXL103
        request.addfinalizer(self.forget(exp, force=True))  # expect: FXL103
        return exp

    def forget(self, exp, *, force=False):
        exp.registry.discard(exp.name)
        if force:
            exp.purge()
