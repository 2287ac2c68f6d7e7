from typing import Iterator
from unittest import mock
from unittest.mock import MagicMock, patch

import pytest

from myapp import feeds, settings

FEED_URLS = ("https://a.example/rss", "https://b.example/rss")


@pytest.fixture
def offline_feeds():
    # Started in a loop: one `with` per URL is not a rewrite of this code.
    for url in FEED_URLS:
        patch.dict(feeds.CACHE, {url: "<rss/>"}).start()  # expect: FXL302
    yield feeds.CACHE


@pytest.fixture
def strict_mode() -> MagicMock:
    # A `-> MagicMock` annotation would be wrong for a generator.
    strict = patch.object(settings, "STRICT", True)
    flag = strict.start()  # expect: FXL302
    return flag


@pytest.fixture
def parser_mock(request):
    parser = mock.patch("myapp.feeds.parse").start().return_value  # expect: FXL302
    if request.param == "empty":
        return parser
    parser.entries = ["first"]
    return parser


@pytest.fixture
def debug_settings() -> Iterator[None]:
    debug = patch.object(settings, "DEBUG", True)
    if settings.ALLOW_DEBUG: debug.start()  # expect: FXL302
    yield
