import pytest

from myapp.storage import Bucket


@pytest.mark.slow  # expect: FXL010
@pytest.mark.usefixtures("aws_credentials", "moto_server")  # expect: FXL010
@pytest.fixture
def bucket():
    b = Bucket.create("test-bucket")
    yield b
    b.delete()
