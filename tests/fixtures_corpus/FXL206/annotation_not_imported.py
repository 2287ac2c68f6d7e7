import io
from typing import TYPE_CHECKING

import pytest

from myapp.export import CsvWriter

if TYPE_CHECKING:
    # Not imported at run time, and this module evaluates annotations when it defines functions.
    from typing import Iterator


@pytest.fixture
def buffer() -> io.StringIO:
    # Flagged without a fix: writing `Iterator[io.StringIO]` here needs a real import first.
    with io.StringIO() as buf:
        return buf  # expect: FXL206


@pytest.fixture
def writer(buffer) -> CsvWriter:
    return CsvWriter(buffer)


from collections.abc import Iterator  # noqa: E402 - too late for `buffer`, in time for `spool`


@pytest.fixture
def spool() -> io.BytesIO:
    with io.BytesIO() as raw:
        return raw  # expect: FXL206
