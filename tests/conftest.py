"""Keep the suite's runs of fixlint away from the user's own files."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def private_cache_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """fixlint signs its cache files with a key in ``$XDG_CACHE_HOME/fixlint``: the tests (and
    the commands they start) use a key of their own, not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield
