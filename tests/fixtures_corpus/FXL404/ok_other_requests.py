from flask import request

import pytest

from shop.web import make_app


@pytest.fixture(scope="session")
def app():
    application = make_app()

    @application.before_request
    def remember_path():
        # Flask's ``request``: a module global, not pytest's object.
        application.config["LAST_PATH"] = request.path

    return application


@pytest.fixture(scope="module")
def handler(app):
    def handle(request):
        # Its own parameter named ``request``: an HTTP request.
        return app.dispatch(request.path, request.module)

    return handle


@pytest.fixture(scope="session")
def client_factory(app, request):
    return lambda request: app.test_client().get(request.path)


@pytest.fixture(scope="module")
def rebound(app, request):
    request = app.test_request_context("/").request
    return request.path


@pytest.fixture(scope="module")
def optional(request=None):
    # A parameter with a default is not a fixture request; pytest passes nothing.
    return request.function if request else None

