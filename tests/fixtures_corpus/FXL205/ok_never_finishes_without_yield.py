import shutil
import sys

import pytest
from pytest import skip

from myapp.docker import DockerClient
from myapp.testing import require_network


@pytest.fixture
def docker_client():
    if shutil.which("docker") is None:
        pytest.skip("docker is not installed")
    client = DockerClient()
    yield client
    client.close()


@pytest.fixture
def numpy_array():
    np = pytest.importorskip("numpy")
    yield np.zeros(3)


@pytest.fixture
def posix_only():
    if sys.platform == "win32":
        skip("POSIX only")
    else:
        yield "/tmp"


@pytest.fixture
def strict_config(settings):
    if settings.mode == "legacy":
        pytest.fail("legacy mode is not supported by these tests")
    elif settings.mode == "flaky":
        pytest.xfail("known to be flaky")
    yield settings


@pytest.fixture
def must_have_token(vault):
    token = vault.read("ci-token")
    if token is None:
        raise RuntimeError("no CI token in the vault")
    yield token


@pytest.fixture
def network_client(api):
    # A helper of ours that skips when offline: it may never return.
    if api.offline:
        require_network()
    else:
        yield api.client()


@pytest.fixture
def optional_cache(settings):
    # Handing the test `None` on purpose: yield it, then stop.
    if not settings.cache_url:
        yield None
        return
    cache = settings.connect_cache()
    yield cache
    cache.close()
