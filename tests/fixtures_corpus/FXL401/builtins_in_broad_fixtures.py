"""Broad fixtures that request pytest's function-scoped built-ins."""

import json

import pytest

SCOPE = "module"


@pytest.fixture(scope="module")
def dataset_dir(tmp_path):  # expect: FXL401
    """A folder of sample records shared by the module."""
    (tmp_path / "records.json").write_text(json.dumps([1, 2, 3]))
    return tmp_path


@pytest.fixture(scope=SCOPE)
def legacy_dir(tmpdir):  # expect: FXL401
    tmpdir.join("seed.txt").write("seed")
    return tmpdir


@pytest.fixture(scope="session")
def warm_cache(cache):  # expect: FXL401
    # Remember the last run's slow tests.
    return cache.get("slow/tests", [])


@pytest.fixture(scope="module")
def offline(monkeypatch):  # expect: FXL401
    monkeypatch.setenv("APP_OFFLINE", "1")
    yield
    # the environment comes back when the module is done


@pytest.fixture(scope="class")
def captured(capsys):  # expect: FXL401
    print("warming up")
    return capsys.readouterr().out


@pytest.fixture(scope="session")
def scratch(request):
    return request.getfixturevalue("tmp_path")  # expect: FXL401


@pytest.fixture(scope="module")
async def async_store(tmp_path):  # expect: FXL401
    return tmp_path / "store.db"


def test_dataset(dataset_dir, legacy_dir, warm_cache, offline, captured, scratch):
    assert (dataset_dir / "records.json").exists()
