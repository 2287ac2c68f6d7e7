"""Parameters supplied through a parametrize mark bound to a name, and class-level marks."""

import pytest

sizes = pytest.mark.parametrize("width, height", [(1, 2), (3, 4)])


@sizes
def test_area(width, height):
    assert width * height


@pytest.mark.parametrize("unit", ["cm"])
class TestConversion:
    @pytest.fixture
    def factor(self, unit):
        return {"cm": 100}[unit]

    def test_factor(self, factor):
        assert factor == 100


needs_gpu = pytest.mark.skipif(True, reason="no GPU here")


@pytest.mark.skip(reason="the fixture is not written yet")
def test_later(future_fixture):
    assert future_fixture


@needs_gpu
def test_on_gpu(gpu_device):
    assert gpu_device
