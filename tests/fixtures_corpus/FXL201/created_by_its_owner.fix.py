import pytest


@pytest.fixture
def volume(volume_driver):
    # The driver that created the volume removes it: that is its release.
    vol = volume_driver.create("scratch")  # expect: FXL201
    try:
        vol.format("ext4")
        yield vol
    finally:
        volume_driver.remove(vol)
