import pytest_asyncio as pa
from pytest import fixture as fx


@pa.fixture
async def chat_client(chat_server):
    client = await chat_server.connect()
    yield client
    try:
        await client.aclose()  # expect: FXL202
    finally:
        await chat_server.drop_rooms()


class TestUploads:
    @fx(scope="class")
    def bucket(self, s3):
        bucket = s3.create_bucket("uploads")
        yield bucket
        try:
            # Empty it first: S3 refuses to delete a bucket that still holds objects.
            bucket.delete_objects()  # expect: FXL202
            bucket.delete()
        finally:
            s3.close()
