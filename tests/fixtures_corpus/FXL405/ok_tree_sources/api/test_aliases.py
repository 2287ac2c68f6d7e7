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
