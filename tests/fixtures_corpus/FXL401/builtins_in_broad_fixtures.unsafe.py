"""Broad fixtures that request pytest's function-scoped built-ins."""

import json

import pytest

SCOPE = "module"


@pytest.fixture(scope="module")
def dataset_dir(tmp_path_factory):  # expect: FXL401
    """A folder of sample records shared by the module."""
    tmp_path = tmp_path_factory.mktemp("dataset_dir")
    (tmp_path / "records.json").write_text(json.dumps([1, 2, 3]))
    return tmp_path


@pytest.fixture(scope=SCOPE)
def legacy_dir(tmpdir_factory):  # expect: FXL401
    tmpdir = tmpdir_factory.mktemp("legacy_dir")
    tmpdir.join("seed.txt").write("seed")
    return tmpdir


@pytest.fixture(scope="session")
def warm_cache(request):  # expect: FXL401
    cache = request.config.cache
    # Remember the last run's slow tests.
    return cache.get("slow/tests", [])


@pytest.fixture(scope="module")
def offline():  # expect: FXL401
    with pytest.MonkeyPatch.context() as monkeypatch:
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
async def async_store(tmp_path_factory):  # expect: FXL401
    tmp_path = tmp_path_factory.mktemp("async_store")
    return tmp_path / "store.db"


def test_dataset(dataset_dir, legacy_dir, warm_cache, offline, captured, scratch):
    assert (dataset_dir / "records.json").exists()
