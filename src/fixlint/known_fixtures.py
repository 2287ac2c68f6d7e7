"""Fixtures that exist without being defined in the user's project, and their scopes.

This is the only place that says so. Every entry was checked, not remembered:

* BUILTIN and PYTESTER come from ``pytest --fixtures -v`` (pytest 9.2.0, run in an empty
  directory with plugin autoloading off, without and with ``-p pytester``) and from the
  ``@fixture(...)`` decorators in ``_pytest/``. ``tests/test_known_fixtures.py`` re-runs that
  comparison against the installed pytest.
* PLUGINS come from the current release of each plugin (version in the comment above each
  entry): its ``pytest11`` entry point in the wheel's ``entry_points.txt``, every fixture its
  modules define (including ``name=`` and fixtures imported from submodules), and a
  ``pytest --fixtures -v -p <module>`` run with the plugin installed. Only names and scopes are
  recorded here.

Scopes are "function", "class", "module", "package", "session", or "dynamic" when the scope is
decided at run time (nothing a static analyzer can read from the source).

Names starting with ``_`` are listed too: users can request them (``pytest --fixtures -v`` shows
them), although they are internal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

__all__ = [
    "BUILTIN",
    "DISTRIBUTIONS",
    "ENTRY_POINTS",
    "FIXTURE_SCOPES",
    "PLUGINS",
    "PYTESTER",
    "PYTESTER_PLUGINS",
    "plugin_key",
    "VERSIONS",
    "known_scope",
]

_F, _C, _M, _P, _S = "function", "class", "module", "package", "session"
# pytest's fixture scopes, narrowest first (a fixture may request only equal or broader ones).
FIXTURE_SCOPES = (_F, _C, _M, _P, _S)
_DYNAMIC = "dynamic"

# Fixture name -> scope, always available in pytest 9.2 (core plugins are on by default; the
# comment names the core plugin that provides the fixture, which `-p no:<plugin>` removes).
BUILTIN: Mapping[str, str] = MappingProxyType(
    {
        # Not a registered fixture (`pytest --fixtures` does not list it): pytest builds a
        # RequestFixtureDef on demand whenever "request" is requested, handing over the
        # requester's own FixtureRequest. So its scope is the requester's: `request` never
        # causes a ScopeMismatch and a fixture may not be named "request" (fixtures.py).
        "request": _DYNAMIC,
        "cache": _F,  # cacheprovider
        "capsys": _F,  # capture
        "capteesys": _F,  # capture
        "capsysbinary": _F,  # capture
        "capfd": _F,  # capture
        "capfdbinary": _F,  # capture
        "doctest_namespace": _S,  # doctest
        "pytestconfig": _S,  # fixtures (always present)
        "record_property": _F,  # junitxml
        "record_xml_attribute": _F,  # junitxml
        "record_testsuite_property": _S,  # junitxml
        "tmpdir_factory": _S,  # legacypath (registered when the tmpdir plugin is active)
        "tmpdir": _F,  # legacypath (registered when the tmpdir plugin is active)
        "caplog": _F,  # logging
        "monkeypatch": _F,  # monkeypatch
        "recwarn": _F,  # recwarn
        "subtests": _F,  # subtests
        "tmp_path_factory": _S,  # tmpdir
        "tmp_path": _F,  # tmpdir
    }
)

# The fixtures of pytest's `pytester` plugin, available with `pytest_plugins = "pytester"` (or
# `-p pytester`). `testdir` is defined in _pytest/legacypath.py and registered only when a plugin
# named "pytester" is registered (so not for `pytest_plugins = "_pytest.pytester"`).
PYTESTER: Mapping[str, str] = MappingProxyType(
    {
        "_pytest": _F,
        "linecomp": _F,
        "LineMatcher": _F,  # @fixture(name="LineMatcher") on LineMatcher_fixture
        "pytester": _F,
        "_sys_snapshot": _F,
        "_config_for_test": _F,
        "testdir": _F,  # legacypath
    }
)


def _freeze(table: dict[str, dict[str, str]]) -> Mapping[str, Mapping[str, str]]:
    return MappingProxyType({key: MappingProxyType(value) for key, value in table.items()})


# Importable plugin module (the value of its pytest11 entry point, or what `pytest_plugins`
# names) -> its fixtures -> scope.
PLUGINS: Mapping[str, Mapping[str, str]] = _freeze(
    {
        # pytest-mock 3.17.0. The five are one function wrapped by pytest.fixture() at each scope.
        "pytest_mock": {
            "mocker": _F,
            "class_mocker": _C,
            "module_mocker": _M,
            "package_mocker": _P,
            "session_mocker": _S,
        },
        # pytest-django 4.14.0. plugin.py defines some and imports the rest from
        # pytest_django/fixtures.py. The `_`-prefixed ones are autouse or internal helpers.
        "pytest_django.plugin": {
            "django_db_modify_db_settings_tox_suffix": _S,
            "django_db_modify_db_settings_xdist_suffix": _S,
            "django_db_modify_db_settings_parallel_suffix": _S,
            "django_db_modify_db_settings": _S,
            "django_db_use_migrations": _S,
            "django_db_keepdb": _S,
            "django_db_createdb": _S,
            "django_db_setup": _S,
            "_django_db_helper": _F,
            "db": _F,
            "transactional_db": _F,
            "django_db_reset_sequences": _F,
            "django_db_serialized_rollback": _F,
            "client": _F,
            "async_client": _F,
            "django_user_model": _F,
            "django_username_field": _F,
            "admin_user": _F,
            "admin_client": _F,
            "rf": _F,
            "async_rf": _F,
            "settings": _F,
            "live_server": _S,
            "_live_server_helper": _F,  # autouse
            "django_assert_num_queries": _F,
            "django_assert_max_num_queries": _F,
            "django_capture_on_commit_callbacks": _F,
            "django_test_environment": _S,  # autouse
            "django_db_blocker": _S,
            "_django_db_marker": _F,  # autouse
            "_django_setup_unittest": _C,  # autouse
            "_dj_autoclear_mailbox": _F,  # autouse
            "mailoutbox": _F,
            "django_mail_patch_dns": _F,
            "django_mail_dnsname": _F,
            "_django_set_urlconf": _F,  # autouse
            "_django_isolate_apps": _F,  # autouse
            "django_isolated_apps": _F,
            "_fail_for_invalid_template_variable": _S,  # autouse
            "_template_string_if_invalid_marker": _F,  # autouse
            "_django_clear_site_cache": _F,  # autouse
        },
        # pytest-asyncio 1.5.0. There is no `event_loop` fixture any more (removed in 1.0): a
        # project that still requests or overrides `event_loop` must define it itself. Event
        # loops live in asyncio.Runners held by five internal fixtures, one per scope, made by a
        # factory with name=f"_{scope}_scoped_runner"; their scopes are static. A test or async
        # fixture picks one by its loop scope (mark.asyncio(loop_scope=...),
        # pytest_asyncio.fixture(loop_scope=...), the asyncio_default_*_loop_scope ini options)
        # through request.getfixturevalue, so loop_scope is a separate axis from these scopes.
        # `_asyncio_loop_factory` is declared session-scoped, but when a
        # pytest_asyncio_loop_factories hook exists the plugin parametrizes it indirectly with
        # scope=<the test's loop scope>, and pytest lets the parametrize scope override the
        # fixture's: dynamic. `event_loop_policy` is autouse; projects override it (session).
        "pytest_asyncio.plugin": {
            "_function_scoped_runner": _F,
            "_class_scoped_runner": _C,
            "_module_scoped_runner": _M,
            "_package_scoped_runner": _P,
            "_session_scoped_runner": _S,
            "_asyncio_loop_factory": _DYNAMIC,
            "event_loop_policy": _S,
            "unused_tcp_port": _F,
            "unused_udp_port": _F,
            "unused_tcp_port_factory": _S,
            "unused_udp_port_factory": _S,
        },
        # anyio 4.16.0. `anyio_backend` is module-scoped and parametrized over the available
        # backends; projects commonly override it in a conftest at any scope (their definition
        # then wins). Tests marked anyio that do not request it get it injected with a
        # module-scoped callspec. anyio runs async fixtures itself; it has no loop fixture.
        "anyio.pytest_plugin": {
            "anyio_backend": _M,
            "anyio_backend_name": _F,
            "anyio_backend_options": _F,
            "free_tcp_port_factory": _S,
            "free_udp_port_factory": _S,
            "free_tcp_port": _F,
            "free_udp_port": _F,
        },
        # pytest-xdist 3.8.0 (two entry points; only xdist.plugin defines fixtures).
        "xdist.plugin": {
            "worker_id": _S,
            "testrun_uid": _S,
        },
        "xdist.looponfail": {},
        # pytest-benchmark 5.3.1.
        "pytest_benchmark.plugin": {
            "benchmark": _F,
            "benchmark_weave": _F,
        },
        # pytest-httpserver 1.2.0.
        "pytest_httpserver.pytest_plugin": {
            "httpserver_listen_address": _S,
            "httpserver_ssl_context": _S,
            "make_httpserver": _S,
            "httpserver": _F,
            "make_httpserver_ipv4": _S,
            "httpserver_ipv4": _F,
            "make_httpserver_ipv6": _S,
            "httpserver_ipv6": _F,
        },
        # requests-mock 1.12.1 (decorated through an alias: `_fixture_type(scope='function')`).
        "requests_mock.contrib._pytest_plugin": {
            "requests_mock": _F,
        },
        # pytest-timeout 2.4.0: no fixtures.
        "pytest_timeout": {},
        # pytest-cov 7.1.0.
        "pytest_cov.plugin": {
            "no_cover": _F,
            "cov": _F,
        },
        # pytest-aiohttp 1.1.1: async fixtures via @pytest_asyncio.fixture (default loop scope);
        # needs pytest-asyncio loaded (its dependency, autoloaded by entry point).
        "pytest_aiohttp.plugin": {
            "aiohttp_server": _F,
            "aiohttp_raw_server": _F,
            "aiohttp_client_cls": _F,
            "aiohttp_client": _F,
        },
        # aiohttp 3.14.5: aiohttp/pytest_plugin.py, loaded only through
        # `pytest_plugins = "aiohttp.pytest_plugin"` (aiohttp has no pytest11 entry point).
        # `loop_factory` is not a fixture function: the plugin's pytest_generate_tests
        # parametrizes it directly (function scope) for every test whose closure contains it,
        # i.e. every test that uses `loop` or a fixture built on it.
        "aiohttp.pytest_plugin": {
            "loop_factory": _F,
            "fast": _F,
            "loop_debug": _F,
            "loop": _F,
            "proactor_loop": _F,
            "unused_port": _F,  # deprecated alias
            "aiohttp_unused_port": _F,
            "aiohttp_server": _F,
            "test_server": _F,  # deprecated alias
            "aiohttp_raw_server": _F,
            "raw_test_server": _F,  # deprecated alias
            "aiohttp_client": _F,
            "test_client": _F,  # deprecated alias
        },
        # pytest-httpx 0.36.2.
        "pytest_httpx": {
            "httpx_mock": _F,
        },
        # pytest-freezer 0.4.9 (the same fixture name as pytest-freezegun's).
        "pytest_freezer": {
            "freezer": _F,
        },
        # pytest-freezegun 0.4.2 (unmaintained; @pytest.fixture(name=FIXTURE_NAME) = "freezer").
        "pytest_freezegun": {
            "freezer": _F,
        },
        # time-machine 3.6.0: @pytest.fixture(name="time_machine") on time_machine_fixture,
        # defined inside `if HAVE_PYTEST:` (always true in a pytest run).
        "time_machine": {
            "time_machine": _F,
        },
        # syrupy 7.0.2 (its `snapshot` has the same name as pytest-snapshot's).
        "syrupy": {
            "snapshot": _F,
            "_syrupy_apply_ide_patches": _S,  # autouse
        },
        # pytest-regressions 2.11.0.
        "pytest_regressions.plugin": {
            "data_regression": _F,
            "dataframe_regression": _F,
            "ndarrays_regression": _F,
            "file_regression": _F,
            "num_regression": _F,
            "image_regression": _F,
        },
        # pytest-datadir 1.9.0.
        "pytest_datadir.plugin": {
            "shared_datadir": _F,
            "original_datadir": _M,
            "datadir": _F,
            "lazy_datadir": _F,
            "lazy_shared_datadir": _F,
        },
        # pytest-socket 0.8.1.
        "pytest_socket": {
            "socket_disabled": _F,
            "socket_enabled": _F,
        },
        # pytest-randomly 5.1.0: `faker_seed` is defined only when `faker` is importable
        # (`if have_faker:`); assume it exists.
        "pytest_randomly": {
            "faker_seed": _F,
        },
        # pytest-rerunfailures 16.7: no fixtures.
        "pytest_rerunfailures": {},
        # pytest-doctestplus 1.7.1: no fixtures.
        "pytest_doctestplus.plugin": {},
        # pytest-remotedata 0.4.2: no fixtures.
        "pytest_remotedata.plugin": {},
        # pytest-mpl 0.19.0: no fixtures (its plugin objects registered at configure time
        # define none either).
        "pytest_mpl.plugin": {},
        # pytest-qt 4.5.0 (read from the source only: the plugin refuses to load without a Qt
        # binding, and none was installed).
        "pytestqt.plugin": {
            "qapp_args": _S,
            "qapp_cls": _S,
            "qapp": _S,
            "qtbot": _F,
            "qtlog": _F,
            "qtmodeltester": _F,
        },
        # pytest-trio 0.8.0. `nursery` is wrapped by the plugin's trio_fixture helper; trio
        # fixtures must be function-scoped.
        "pytest_trio.plugin": {
            "mock_clock": _F,
            "autojump_clock": _F,
            "nursery": _F,
        },
        # pytest-localserver 0.10.0.post0 (its `httpserver` has the same name as
        # pytest-httpserver's, same scope).
        "pytest_localserver.plugin": {
            "httpserver": _F,
            "httpsserver": _F,
            "smtpserver": _F,
        },
        # pytest-subprocess 1.6.0 (entry point is the fixtures module; `fake_process = fp` is an
        # alias of the same fixture function and is registered under both names).
        "pytest_subprocess.fixtures": {
            "fp": _F,
            "fake_process": _F,
        },
        # pytest-env 1.8.5: no fixtures.
        "pytest_env.plugin": {},
        # hypothesis 6.170.15: no fixtures (the plugin only forbids @given on fixtures).
        "_hypothesis_pytestplugin": {},
        # Faker 40.54.0. `faker` also reads the optional user-defined fixtures faker_locale,
        # faker_session_locale and faker_seed through getfixturevalue when they are defined;
        # the plugin does not define them (pytest-randomly defines faker_seed).
        "faker.contrib.pytest.plugin": {
            "_session_faker": _S,  # autouse
            "faker": _F,
        },
        # pytest-lazy-fixture 0.6.3: no fixtures (pytest.lazy_fixture("name") refers to
        # fixtures by string).
        "pytest_lazyfixture": {},
        # pytest-lazy-fixtures 1.4.1: no fixtures (lf("name") refers to fixtures by string).
        "pytest_lazy_fixtures.plugin": {},
        # pytest-recording 0.14.1.
        "pytest_recording.plugin": {
            "record_mode": _S,
            "disable_recording": _S,
            "vcr_config": _F,
            "allowed_hosts": _F,
            "vcr_markers": _F,
            "block_network": _F,  # autouse
            "vcr": _F,  # autouse
            "vcr_cassette_dir": _M,
            "default_cassette_name": _F,
        },
        # pytest-snapshot 0.9.0.
        "pytest_snapshot.plugin": {
            "snapshot": _F,
        },
        # pytest-order 1.5.0. Tests with several order marks are parametrized directly over an
        # `order` argument; that exists only for those tests and is not listed here.
        "pytest_order.plugin": {
            "fail_after_cannot_order": _F,
        },
        # pytest-instafail 0.5.0: no fixtures.
        "pytest_instafail": {},
    }
)

# PyPI distribution name (PEP 503 normalized: lower case, runs of "-_." as "-") -> the key in
# PLUGINS its pytest11 entry point loads. aiohttp is absent on purpose: installing it loads
# nothing; its plugin needs `pytest_plugins = "aiohttp.pytest_plugin"`.
DISTRIBUTIONS: Mapping[str, str] = MappingProxyType(
    {
        "pytest-mock": "pytest_mock",
        "pytest-django": "pytest_django.plugin",
        "pytest-asyncio": "pytest_asyncio.plugin",
        "anyio": "anyio.pytest_plugin",
        "pytest-xdist": "xdist.plugin",
        "pytest-benchmark": "pytest_benchmark.plugin",
        "pytest-httpserver": "pytest_httpserver.pytest_plugin",
        "requests-mock": "requests_mock.contrib._pytest_plugin",
        "pytest-timeout": "pytest_timeout",
        "pytest-cov": "pytest_cov.plugin",
        "pytest-aiohttp": "pytest_aiohttp.plugin",
        "pytest-httpx": "pytest_httpx",
        "pytest-freezer": "pytest_freezer",
        "pytest-freezegun": "pytest_freezegun",
        "time-machine": "time_machine",
        "syrupy": "syrupy",
        "pytest-regressions": "pytest_regressions.plugin",
        "pytest-datadir": "pytest_datadir.plugin",
        "pytest-socket": "pytest_socket",
        "pytest-randomly": "pytest_randomly",
        "pytest-rerunfailures": "pytest_rerunfailures",
        "pytest-doctestplus": "pytest_doctestplus.plugin",
        "pytest-remotedata": "pytest_remotedata.plugin",
        "pytest-mpl": "pytest_mpl.plugin",
        "pytest-qt": "pytestqt.plugin",
        "pytest-trio": "pytest_trio.plugin",
        "pytest-localserver": "pytest_localserver.plugin",
        "pytest-subprocess": "pytest_subprocess.fixtures",
        "pytest-env": "pytest_env.plugin",
        "hypothesis": "_hypothesis_pytestplugin",
        "faker": "faker.contrib.pytest.plugin",
        "pytest-lazy-fixture": "pytest_lazyfixture",
        "pytest-lazy-fixtures": "pytest_lazy_fixtures.plugin",
        "pytest-recording": "pytest_recording.plugin",
        "pytest-snapshot": "pytest_snapshot.plugin",
        "pytest-order": "pytest_order.plugin",
        "pytest-instafail": "pytest_instafail",
    }
)

# pytest11 entry point name -> the key in PLUGINS. `-p NAME` accepts these names (pytest 8.4+,
# even with autoloading off) as well as module names; `pytest_plugins` accepts module names only.
ENTRY_POINTS: Mapping[str, str] = MappingProxyType(
    {
        "pytest_mock": "pytest_mock",
        "django": "pytest_django.plugin",
        "asyncio": "pytest_asyncio.plugin",
        "anyio": "anyio.pytest_plugin",
        "xdist": "xdist.plugin",
        "xdist.looponfail": "xdist.looponfail",
        "benchmark": "pytest_benchmark.plugin",
        "pytest_httpserver": "pytest_httpserver.pytest_plugin",
        "requests_mock": "requests_mock.contrib._pytest_plugin",
        "timeout": "pytest_timeout",
        "pytest_cov": "pytest_cov.plugin",
        "aiohttp": "pytest_aiohttp.plugin",
        "pytest_httpx": "pytest_httpx",
        "freezer": "pytest_freezer",
        "freezegun": "pytest_freezegun",
        "time_machine": "time_machine",
        "syrupy": "syrupy",
        "regressions": "pytest_regressions.plugin",
        "pytest-datadir": "pytest_datadir.plugin",
        "socket": "pytest_socket",
        "randomly": "pytest_randomly",
        "rerunfailures": "pytest_rerunfailures",
        "pytest_doctestplus": "pytest_doctestplus.plugin",
        "pytest_remotedata": "pytest_remotedata.plugin",
        "pytest_mpl": "pytest_mpl.plugin",
        "pytest-qt": "pytestqt.plugin",
        "trio": "pytest_trio.plugin",
        "localserver": "pytest_localserver.plugin",
        "pytest-subprocess": "pytest_subprocess.fixtures",
        "env": "pytest_env.plugin",
        "hypothesispytest": "_hypothesis_pytestplugin",
        "faker": "faker.contrib.pytest.plugin",
        "lazy-fixture": "pytest_lazyfixture",
        "pytest_lazyfixture": "pytest_lazy_fixtures.plugin",
        "recording": "pytest_recording.plugin",
        "snapshot": "pytest_snapshot.plugin",
        "pytest_order": "pytest_order.plugin",
        "instafail": "pytest_instafail",
    }
)

# Distribution (normalized) -> the release the tables above were read from.
VERSIONS: Mapping[str, str] = MappingProxyType(
    {
        "pytest": "9.2.0",
        "pytest-mock": "3.17.0",
        "pytest-django": "4.14.0",
        "pytest-asyncio": "1.5.0",
        "anyio": "4.16.0",
        "pytest-xdist": "3.8.0",
        "pytest-benchmark": "5.3.1",
        "pytest-httpserver": "1.2.0",
        "requests-mock": "1.12.1",
        "pytest-timeout": "2.4.0",
        "pytest-cov": "7.1.0",
        "pytest-aiohttp": "1.1.1",
        "aiohttp": "3.14.5",
        "pytest-httpx": "0.36.2",
        "pytest-freezer": "0.4.9",
        "pytest-freezegun": "0.4.2",
        "time-machine": "3.6.0",
        "syrupy": "7.0.2",
        "pytest-regressions": "2.11.0",
        "pytest-datadir": "1.9.0",
        "pytest-socket": "0.8.1",
        "pytest-randomly": "5.1.0",
        "pytest-rerunfailures": "16.7",
        "pytest-doctestplus": "1.7.1",
        "pytest-remotedata": "0.4.2",
        "pytest-mpl": "0.19.0",
        "pytest-qt": "4.5.0",
        "pytest-trio": "0.8.0",
        "pytest-localserver": "0.10.0.post0",
        "pytest-subprocess": "1.6.0",
        "pytest-env": "1.8.5",
        "hypothesis": "6.170.15",
        "faker": "40.54.0",
        "pytest-lazy-fixture": "0.6.3",
        "pytest-lazy-fixtures": "1.4.1",
        "pytest-recording": "0.14.1",
        "pytest-snapshot": "0.9.0",
        "pytest-order": "1.5.0",
        "pytest-instafail": "0.5.0",
    }
)

PYTESTER_PLUGINS = frozenset({"pytester", "_pytest.pytester"})


def _normalize(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def plugin_key(plugin: str) -> str | None:
    """The PLUGINS key for a module name, an entry point name or a distribution name."""
    if plugin in PLUGINS:
        return plugin
    if plugin in ENTRY_POINTS:
        return ENTRY_POINTS[plugin]
    return DISTRIBUTIONS.get(_normalize(plugin))


def known_scope(name: str, *, plugins: Iterable[str] | None = None) -> str | None:
    """The scope of a built-in or known plugin fixture, or None if the name is unknown.

    Built-ins come first, then pytester's fixtures, then the plugins'. Without ``plugins``
    every known plugin (and pytester) is considered; with it, only those named (PLUGINS keys,
    entry point names or distribution names; "pytester" enables PYTESTER). When two
    considered plugins define the name with different scopes the answer is None: the scope
    depends on which one is installed.
    """
    if name in BUILTIN:
        return BUILTIN[name]
    if plugins is None:
        keys: Iterable[str] = PLUGINS
        pytester = True
    else:
        requested = list(plugins)
        pytester = any(plugin in PYTESTER_PLUGINS for plugin in requested)
        keys = [key for key in map(plugin_key, requested) if key is not None]
    if pytester and name in PYTESTER:
        return PYTESTER[name]
    scopes = {PLUGINS[key][name] for key in keys if name in PLUGINS[key]}
    return scopes.pop() if len(scopes) == 1 else None
