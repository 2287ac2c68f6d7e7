import pytest


@pytest.fixture
def volume(volume_driver):
    # The driver that created the volume removes it: that is its release.
    vol = volume_driver.create("scratch")  # expect: FXL201
    vol.format("ext4")
    yield vol
    volume_driver.remove(vol)
