"""A module that overrides a built-in with a broader fixture of the same name."""

import pytest


@pytest.fixture(scope="module")
def tmp_path(tmp_path_factory):
    return tmp_path_factory.mktemp("shared")


@pytest.fixture(scope="module")
def seeded(tmp_path):
    (tmp_path / "seed").write_text("1")
    return tmp_path


def test_seeded(seeded):
    assert (seeded / "seed").exists()
