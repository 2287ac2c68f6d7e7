import collections.abc as cabc
import socket
import typing as t
import zipfile

import pytest

from myapp.storage import Bucket, open_bucket


@pytest.fixture
def archive(tmp_path) -> zipfile.ZipFile:
    with zipfile.ZipFile(tmp_path / "data.zip", "w") as zf:
        zf.writestr("a.txt", "a")
        return zf  # expect: FXL206


@pytest.fixture
async def bucket(storage_url) -> "Bucket":
    async with open_bucket(storage_url) as b:
        return b  # expect: FXL206


class TestNetwork:
    @pytest.fixture
    def listener(self) -> t.Tuple[socket.socket, int]:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock, sock.getsockname()[1]  # expect: FXL206
