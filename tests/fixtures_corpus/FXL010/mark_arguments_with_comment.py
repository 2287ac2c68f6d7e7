import pytest

from myapp.formats import load


@pytest.fixture
@pytest.mark.parametrize(  # expect: FXL010
    "fmt",
    [
        "json",
        "yaml",  # needs the optional yaml extra
    ],
)
def document(fmt):
    return load("sample", fmt)
