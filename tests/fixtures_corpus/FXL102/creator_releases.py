import pytest

from myapp.storage import check_volume


@pytest.fixture
def volume(request, volume_driver):
    vol = volume_driver.create(size_gb=1)
    check_volume(vol)
    request.addfinalizer(lambda: volume_driver.remove(vol))  # expect: FXL102
    return vol


class TestSnapshots:
    @pytest.fixture
    def snapshot(self, request, volume, volume_driver):
        snap = volume_driver.snapshot(volume)
        volume_driver.verify(snap)  # if this raises, the snapshot is never deleted

        # delete it with the volume's driver
        request.addfinalizer(lambda: volume_driver.delete(snap))  # expect: FXL102
        return snap
