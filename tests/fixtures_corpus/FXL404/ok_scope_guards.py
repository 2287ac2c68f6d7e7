import contextlib

import pytest

from shop.reports import ReportWriter


@pytest.fixture(scope="module")
def checks_scope(request):
    # Written for several scopes (the body is shared with a function-scoped twin).
    if request.scope == "function":
        return request.function.__name__
    return request.node.name


@pytest.fixture(scope="session")
def checks_presence(request):
    if hasattr(request, "cls"):
        return request.cls
    return None


@pytest.fixture(scope="class")
def with_default(request):
    func = getattr(request, "function", None)
    return ReportWriter(func.__name__ if func else request.cls.__name__)


@pytest.fixture(scope="module")
def checks_node(request):
    if isinstance(request.node, pytest.Function):
        return request.function
    return None


@pytest.fixture(scope="module")
def caught(request):
    try:
        name = request.function.__name__
    except AttributeError:
        name = request.module.__name__
    return name


@pytest.fixture(scope="session")
def suppressed(request):
    found = None
    with contextlib.suppress(AttributeError):
        found = request.path
    return found
