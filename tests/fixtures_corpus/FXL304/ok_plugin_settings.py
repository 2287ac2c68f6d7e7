import pytest


# Settings fixtures that plugins read to configure themselves; their documentation asks for a
# broad scope and a plain dict or list, and tests never receive them to modify.
@pytest.fixture(scope="module")
def vcr_config():
    return {"filter_headers": ["authorization"], "record_mode": "none"}


@pytest.fixture(scope="session")
def celery_config():
    return {"broker_url": "memory://", "result_backend": "cache+memory://"}


@pytest.fixture(scope="session")
def celery_includes():
    return ["myapp.tasks"]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "de-DE"}
