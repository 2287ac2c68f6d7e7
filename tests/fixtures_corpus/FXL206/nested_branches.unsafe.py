import os

import pytest

from myapp.devices import SerialPort


@pytest.fixture
def serial_port():
    # The return sits in an `if` inside the `with`; the other branch skips, so the fix is exact.
    with SerialPort("/dev/ttyUSB0") as port:
        if port.is_open:
            yield port  # expect: FXL206
        else:
            pytest.skip("no serial device attached")


@pytest.fixture
def fifo(tmp_path):
    # Not fixed: after `yield`, the `raise` below the `if` would run at teardown.
    os.mkfifo(tmp_path / "pipe")
    with open(tmp_path / "pipe", "rb+", buffering=0) as pipe:
        if pipe.writable():
            return pipe  # expect: FXL206
        raise RuntimeError("pipe is read-only")


@pytest.fixture
def maybe_port(request):
    # Not fixed: when the marker is absent this falls off the end and returns None today;
    # a generator would fail setup with "did not yield a value".
    with SerialPort("/dev/ttyUSB1") as port:
        if request.node.get_closest_marker("hardware"):
            return port  # expect: FXL206


@pytest.fixture
def fresh_or_seeded_port(request):
    # Not fixed: two returns; the first would end the generator before the second yields.
    with SerialPort("/dev/ttyUSB2") as port:
        if request.node.get_closest_marker("fresh"):
            return port  # expect: FXL206
        port.write(b"seed\n")
        return port  # expect: FXL206
