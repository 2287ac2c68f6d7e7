import pytest

from shop.catalog import Catalog


@pytest.fixture(scope="package")
def catalog(request):
    # ``request.path`` still works at package scope; ``request.module`` does not.
    catalog = Catalog.load(request.path.parent / "catalog.yaml")
    catalog.tag(request.module.__name__)  # expect: FXL404
    return catalog


@pytest.fixture(scope="package")
def package_marker(request):
    marker = request.node.get_closest_marker("catalog")
    if marker is not None and request.cls is not None:  # expect: FXL404
        return marker.args
    return ()
