from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from myapp.db import Database

if TYPE_CHECKING:
    from collections.abc import Generator


@pytest.fixture
def database(tmp_path) -> Database:
    with Database.open(tmp_path / "db.sqlite") as db:
        db.migrate()
        return db  # expect: FXL206
