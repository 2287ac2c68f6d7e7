import pytest

from myapp.storage import Bucket


# expect: FXL010
# expect: FXL010
@pytest.fixture
def bucket():
    b = Bucket.create("test-bucket")
    yield b
    b.delete()
