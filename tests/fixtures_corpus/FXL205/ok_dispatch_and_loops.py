import pytest

from myapp.storage import LocalStore, S3Store


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    # No `else`: the parameters cover every branch.
    if request.param == "local":
        yield LocalStore(tmp_path)
    elif request.param == "s3":
        store = S3Store("test-bucket")
        yield store
        store.clear()


@pytest.fixture
def leader(cluster):
    # Data-dependent: fixlint does not claim the loop can run out without yielding.
    for node in cluster.nodes:
        if node.is_leader():
            yield node
            break


@pytest.fixture
def backend_client(backend):
    match backend:
        case "http":
            yield "http-client"
        case "grpc":
            yield "grpc-client"


@pytest.fixture
def worker_loop(pool, run_worker):
    started = pool.started_future()
    finished = pool.submit(run_worker, started)
    # A dispatch on the loop's item: which future completes first is data. Here `finished`
    # completes first only when the worker failed, and `finished.result()` then raises.
    for future in pool.as_completed((started, finished)):
        if future is started:
            yield started.result()
        elif future is finished:
            finished.result()
            return
