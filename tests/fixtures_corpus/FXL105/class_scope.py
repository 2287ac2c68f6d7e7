import pytest
from pytest import fixture as fx

from myapp.storage import Bucket


class TestUploads:
    @fx(scope="class", params=["eu-west-1", "us-east-1"])
    @classmethod
    def bucket(cls, request):
        bucket = Bucket.create(region=request.param)
        request.node.addfinalizer(bucket.destroy)  # expect: FXL105
        return bucket

    def test_upload(self, bucket):
        bucket.put("a.txt", b"a")
        assert bucket.keys() == ["a.txt"]


@fx(scope="class")
def region_client(request):
    if hasattr(request, "param"):
        client = Bucket.client(request.param)
    else:
        client = Bucket.client("eu-west-1")
    request.node.addfinalizer(  # expect: FXL105
        client.close
    )
    return client


@pytest.mark.parametrize("region_client", ["eu-west-1", "ap-south-1"], indirect=True)
class TestClients:
    def test_list(self, region_client):
        assert region_client.list() == []
