"""The pre-commit hooks as users get them: the real ``pre-commit try-repo``, offline.

pre-commit builds a virtualenv and pip-installs this repository into it. Nothing may come from
the network, so pip sees only a wheelhouse made here: the distributions fixlint needs at run time,
repacked from this interpreter's site-packages, and setuptools (to build fixlint from source)
from the wheels virtualenv carries. Every pre-commit invocation builds a fresh environment (try-repo
uses a temporary store), so the tests keep to two invocations.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Files pip writes when it installs a distribution; a wheel does not carry them.
INSTALL_ONLY = {"INSTALLER", "REQUESTED", "RECORD", "direct_url.json"}
GIT_CONFIG = ("-c", "user.name=fixlint tests", "-c", "user.email=tests@example.invalid",
              "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main")
# A hook's result line: "fixlint.....Passed", "fixlint (fix).....Failed"
HOOK_RESULT = re.compile(
    r"^(?P<name>\S[^\n]*?)\.{3,}(?:\(no files to check\))?(?P<status>Passed|Failed|Skipped)$", re.MULTILINE
)

CONFTEST = """\
import pytest


@pytest.fixture
def free_port():
    return 8765


@pytest.fixture
def db():
    conn = connect()
    seed(conn)
    yield conn
    conn.close()
"""
# Its problem is in how it uses the conftest.py's fixture: function-scoped, requested at module scope.
TEST_ORDERS = """\
import pytest


@pytest.fixture(scope="module")
def order_book(free_port):
    return (free_port,)


def test_order(order_book):
    assert order_book
"""
TEST_CLEAN = """\
import pytest


@pytest.fixture
def session():
    with connect() as conn:
        yield conn


def test_session(session):
    assert session
"""
PYPROJECT = """\
[tool.fixlint]
extend-exclude = ["vendored/"]
"""


def _unavailable(reason: str) -> NoReturn:
    """Missing tools fail the run in CI, where they are installed on purpose; elsewhere, skip."""
    if os.environ.get("CI"):
        pytest.fail(f"pre-commit test cannot run in CI: {reason}")
    pytest.skip(reason)


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *GIT_CONFIG, *args], cwd=cwd, capture_output=True, text=True, check=True)


# --- the wheelhouse ----------------------------------------------------------------------------


def _runtime_distributions(project: str = "fixlint") -> list[metadata.Distribution]:
    """The installed distributions ``project`` needs here (markers evaluated, extras left out)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found: dict[str, metadata.Distribution] = {}
    pending = [project]
    while pending:
        for text in metadata.requires(pending.pop()) or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            key = canonicalize_name(requirement.name)
            if key not in found:
                found[key] = metadata.distribution(requirement.name)
                pending.append(requirement.name)
    return list(found.values())


def _wheel_tag(wheel_metadata: str) -> str:
    """The tag part of a wheel's file name from the ``Tag:`` lines of its WHEEL file, compressed as
    the wheel spec says (``cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64``)."""
    tags = [line.split(":", 1)[1].strip() for line in wheel_metadata.splitlines() if line.startswith("Tag:")]
    return "-".join(".".join(dict.fromkeys(part)) for part in zip(*(tag.split("-") for tag in tags)))


def _repack(dist: metadata.Distribution, wheelhouse: Path) -> Path:
    """A wheel of an installed distribution, made of the files its RECORD lists under site-packages."""
    files = dist.files or []
    info = next(file.parts[0] for file in files if file.parts[0].endswith(".dist-info"))
    target = wheelhouse / f"{info[: -len('.dist-info')]}-{_wheel_tag(dist.read_text('WHEEL') or '')}.whl"
    record = io.StringIO()
    rows = csv.writer(record, lineterminator="\n")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for file in files:
            # console scripts live outside site-packages (``../../../bin``); pip writes them anew
            if file.parts[0] == ".." or "__pycache__" in file.parts:
                continue
            if file.parts[0] == info and file.name in INSTALL_ONLY:
                continue
            data = Path(file.locate()).read_bytes()
            wheel.writestr(file.as_posix(), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            rows.writerow([file.as_posix(), f"sha256={digest}", len(data)])
        rows.writerow([f"{info}/RECORD", "", ""])
        wheel.writestr(f"{info}/RECORD", record.getvalue())
    return target


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """fixlint's run-time dependencies, and the build backend pip needs to build fixlint itself.

    No fixlint wheel: pre-commit runs ``pip install .`` in its clone of the hook repository, which
    builds from that source and never looks for a fixlint wheel."""
    virtualenv = importlib.util.find_spec("virtualenv")
    if virtualenv is None or virtualenv.origin is None:
        _unavailable("virtualenv (a pre-commit dependency) is not installed")
    embedded = Path(virtualenv.origin).parent / "seed" / "wheels" / "embed"
    backends = sorted(embedded.glob("setuptools-*.whl"))
    if not backends:
        _unavailable(f"no setuptools wheel in {embedded}")
    house = tmp_path_factory.mktemp("wheelhouse")
    for backend in backends:  # pip picks one that meets pyproject's build-system requirement
        shutil.copy(backend, house)
    for dist in _runtime_distributions():
        _repack(dist, house)
    return house


# --- the hook repository and the environment pre-commit runs in ---------------------------------


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's working tree (tracked and new files, not ignored ones), committed on its own.

    try-repo can snapshot uncommitted work itself, but only staged and modified tracked files: a new
    file such as the hook manifest before its first commit would be left out."""
    if shutil.which("git") is None:
        _unavailable("git is not installed")
    if importlib.util.find_spec("pre_commit") is None:
        _unavailable("pre-commit is not installed")
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=ROOT, capture_output=True, text=True, check=False)
    if listing.returncode != 0:
        _unavailable(f"{ROOT} is not a git work tree")
    snapshot = tmp_path_factory.mktemp("fixlint-checkout")
    for name in filter(None, listing.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the work tree is not part of it
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    _git(snapshot, "init", "-q")
    _git(snapshot, "add", "-A")
    _git(snapshot, "commit", "-q", "-m", "fixlint under test")
    return snapshot


@pytest.fixture(scope="session")
def offline_env(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> Mapping[str, str]:
    """pip limited to the wheelhouse, any network access refused, every cache and home in tmp."""
    home = tmp_path_factory.mktemp("home")
    dropped = ("PIP_", "VIRTUALENV_", "PRE_COMMIT", "GIT_", "XDG_")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(dropped) and key.lower() not in ("no_proxy", "http_proxy", "https_proxy")}
    refused = "http://127.0.0.1:9"  # the discard port: a connection attempt fails at once
    env.update({
        "HOME": str(home),
        "TMPDIR": str(home),  # try-repo's temporary store, with the hook environment in it
        "PRE_COMMIT_HOME": str(home / "pre-commit"),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_COMPILE": "0",  # no .pyc files in the hook environment: seconds saved per run
        "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
        "VIRTUALENV_OVERRIDE_APP_DATA": str(home / "virtualenv"),
        "http_proxy": refused, "https_proxy": refused, "HTTP_PROXY": refused, "HTTPS_PROXY": refused,
    })
    return MappingProxyType(env)  # shared by the session's tests: read-only


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A user's repository with its files staged, as pre-commit sees it before a commit."""
    root = tmp_path / "project"
    files = {
        "pyproject.toml": PYPROJECT,
        "tests/conftest.py": CONFTEST,  # never staged below: its leak is not being committed
        "tests/test_orders.py": TEST_ORDERS,
        "tests/test_clean.py": TEST_CLEAN,
        "tests/db/conftest.py": CONFTEST,
        "vendored/conftest.py": CONFTEST,  # excluded by [tool.fixlint]
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    return root


def _try_repo(
    project: Path, hook_repo: Path, env: Mapping[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), *args, "--color", "never"],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )


def _hook_results(output: str) -> dict[str, tuple[str, str]]:
    """Each hook's name -> (status, what pre-commit printed under its result line)."""
    found = list(HOOK_RESULT.finditer(output))
    ends = [match.start() for match in found[1:]] + [len(output)]
    return {match["name"]: (match["status"], output[match.end():end]) for match, end in zip(found, ends)}


def _explain(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


# --- the tests: one pre-commit invocation each ---------------------------------------------------


def test_both_hooks_pass_on_clean_files(
    project: Path, hook_repo: Path, offline_env: Mapping[str, str]
) -> None:
    """test_clean.py sits beside a conftest.py with a leak, which is not reported: only the staged
    files are. The leak in vendored/ is left alone: the project's exclude applies to named files."""
    result = _try_repo(project, hook_repo, offline_env, "--verbose",
                       "--files", "tests/test_clean.py", "vendored/conftest.py")
    hooks = _hook_results(result.stdout)
    assert result.returncode == 0, _explain(result)
    assert {name: status for name, (status, _) in hooks.items()} == {
        "fixlint": "Passed", "fixlint (fix)": "Passed"
    }, _explain(result)
    assert "All checks passed!" in hooks["fixlint"][1], _explain(result)  # it ran: files were checked
    assert (project / "vendored" / "conftest.py").read_text() == CONFTEST


def test_check_fails_with_the_findings_and_fix_rewrites_then_fails(
    project: Path, hook_repo: Path, offline_env: Mapping[str, str], tmp_path: Path
) -> None:
    """tests/db/conftest.py has a fixable leak. test_orders.py's problem is in how it uses a fixture
    of tests/conftest.py, which is not staged: fixlint reads it from disk, and reports only the
    staged files' findings."""
    staged = ("tests/test_orders.py", "tests/db/conftest.py")
    expected = shutil.copytree(project, tmp_path / "expected")
    cli = subprocess.run([sys.executable, "-m", "fixlint", "check", "--fix", *staged],
                         cwd=expected, capture_output=True, text=True, check=False)
    fixed = (expected / "tests" / "db" / "conftest.py").read_text()
    assert "1 fixed, 1 remaining" in cli.stdout and fixed != CONFTEST, cli.stdout + cli.stderr

    result = _try_repo(project, hook_repo, offline_env, "--files", *staged)
    hooks = _hook_results(result.stdout)
    assert result.returncode == 1, _explain(result)

    check_status, check_printed = hooks["fixlint"]
    assert check_status == "Failed", _explain(result)
    assert "tests/db/conftest.py:11:5: FXL201 [*] `conn` is acquired by `connect()`" in check_printed
    assert "tests/test_orders.py:5:16: FXL401 module-scoped fixture `order_book` requests `free_port`" in (
        check_printed
    )
    assert not re.search(r"^tests/conftest\.py:", check_printed, re.MULTILINE), _explain(result)

    fix_status, fix_printed = hooks["fixlint (fix)"]
    assert fix_status == "Failed", _explain(result)
    assert "- files were modified by this hook" in fix_printed, _explain(result)
    assert "(1 fixed, 1 remaining)" in fix_printed  # the scope mismatch has no fix
    assert (project / "tests" / "db" / "conftest.py").read_text() == fixed
    assert (project / "tests" / "test_orders.py").read_text() == TEST_ORDERS
