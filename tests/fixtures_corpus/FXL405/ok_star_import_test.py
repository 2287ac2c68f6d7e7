"""A name that may come from a star import from outside the project."""

import pytest

from myproject.testing.fixtures import *  # noqa: F403


@pytest.fixture
def answer():
    return 42


def test_from_star(answer, remote_database):
    assert answer == 42
