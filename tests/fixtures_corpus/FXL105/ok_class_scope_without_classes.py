import pytest

from myapp.storage import Bucket


# A class-scoped fixture requested by plain test functions is set up for each test, and
# request.node is that test: the node finalizer runs right after it (pytest 9.2).
@pytest.fixture(scope="class", params=["eu-west-1", "us-east-1"])
def bucket(request):
    bucket = Bucket.create(region=request.param)
    request.node.addfinalizer(bucket.destroy)
    return bucket


def test_upload(bucket):
    bucket.put("a.txt", b"a")
    assert bucket.keys() == ["a.txt"]
