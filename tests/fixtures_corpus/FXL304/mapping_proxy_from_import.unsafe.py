from types import MappingProxyType

from pytest import fixture


@fixture(scope="session")
def feature_flags():
    yield MappingProxyType({  # expect: FXL304
        "new_ui": True,  # rolled out everywhere
        "beta_api": False,
    })


FROZEN = MappingProxyType({})
