import pytest


@pytest.fixture
def merchant(gateway):  # expect: FXL403
    return "shop-" + gateway[0]
