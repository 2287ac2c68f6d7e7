import threading
from http.server import HTTPServer, SimpleHTTPRequestHandler

import pytest


@pytest.fixture(scope="module")
def static_site():
    server = HTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
    serving = threading.Thread(target=server.serve_forever, daemon=True)  # expect: FXL301
    serving.start()
    return f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
def http_server():
    server = HTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)  # expect: FXL301
    return server
