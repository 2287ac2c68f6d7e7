import pytest


@pytest.fixture(scope="session")
def enabled_checks() -> list[str]:
    return ["imports", "naming"]  # expect: FXL304
