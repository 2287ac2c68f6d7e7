import shutil

import pytest

from myapp.docker import DockerClient


@pytest.fixture
def docker_client():
    if shutil.which("docker") is None:
        yield None  # expect: FXL205
        return
    client = DockerClient()
    yield client
    client.close()


@pytest.fixture(autouse=True)
def reset_registry(request, registry):
    if "keep_registry" in request.keywords:
        return  # expect: FXL205
    yield
    registry.clear()


@pytest.fixture
def redis_client():
    try:
        import redis
    except ImportError:
        return  # expect: FXL205
    client = redis.Redis()
    yield client
    client.close()
