import pytest

from myapp.broker import Broker


@pytest.fixture(scope="module")
def broker(request):
    # Parametrized by the tests below with indirect=True.
    instance = Broker(transport=request.param)
    instance.start()
    request.addfinalizer(instance.stop)  # expect: FXL105
    return instance


@pytest.fixture(scope="session")
def tenant(request):
    name = getattr(request, "param", "default")
    tenant = create_tenant(name)
    request.addfinalizer(tenant.delete)  # expect: FXL105
    return tenant


@pytest.mark.parametrize("broker", ["amqp", "mqtt"], indirect=True)
def test_publish(broker):
    broker.publish("topic", b"payload")


@pytest.mark.parametrize("tenant", ["acme", "globex"], indirect=True)
def test_tenant_isolation(tenant):
    assert tenant.users() == []


def create_tenant(name):
    raise NotImplementedError
