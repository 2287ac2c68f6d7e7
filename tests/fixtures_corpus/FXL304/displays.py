import pytest as pt
import pytest_asyncio

from myapp.plugins import discover


@pt.fixture(scope="session")
def supported_formats():
    return ["json", "yaml"]  # expect: FXL304


@pt.fixture(scope="module")
def only_admin():
    return ["admin"]  # expect: FXL304


@pt.fixture(scope="module")
def no_roles():
    yield []  # expect: FXL304


@pt.fixture(scope="session")
def default_headers():
    # No `types` import in this file: reported without a fix.
    return {"Accept": "application/json", "User-Agent": "tests"}  # expect: FXL304


@pt.fixture(scope="package")
def reserved_ports():
    return {80, 443, 8080}  # expect: FXL304


@pt.fixture(scope="session")
def plugin_names():
    return [plugin.name for plugin in discover()]  # expect: FXL304


@pt.fixture(scope="session")
def plugin_ids():
    return {plugin.id for plugin in discover()}  # expect: FXL304


@pt.fixture(scope="module")
def matrix():
    return [  # expect: FXL304
        # one row per platform
        ("linux", "x86_64"),
        ("darwin", "arm64"),
    ]


@pytest_asyncio.fixture(scope="module")
async def seed_users():
    await discover_async()
    yield ([  # expect: FXL304
        "alice",
        "bob",
    ])


async def discover_async():
    return None
