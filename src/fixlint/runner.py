"""Running the engine over many files: reading, spreading work over processes, writing fixes.

Workers get paths and rule codes and return plain ``FileReport`` values (never trees);
only the main process writes files, atomically, and only when a fix changed them.

The engine, the rules and the project index (and with them libcst) are imported only when a
file has to be checked: a run whose files are all cache hits starts in a few milliseconds.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fixlint import __version__
from fixlint.cache import CACHE_DIR_NAME, FileState, ResultsCache, SummaryCache
from fixlint.config import Settings
from fixlint.report import FileReport

if TYPE_CHECKING:
    from fixlint.project import ProjectIndex

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 64


@dataclass(frozen=True)
class Job:
    path: str
    codes: tuple[str, ...]
    extra_decorators: tuple[str, ...]
    resources: tuple[tuple[str, tuple[str, ...]], ...]
    fix: bool
    unsafe_fixes: bool


# What the results cache needs to know of a checked file: its size, time and digest when read,
# and what its check read besides it (``ProjectIndex.reading``).
Facts = tuple[FileState, frozenset[str]]


# The index a worker process uses: seeded by ``_start_worker`` with the main process's summaries.
_worker_index: ProjectIndex | None = None


def run_job(job: Job, project: ProjectIndex | None = None) -> tuple[FileReport, Facts | None]:
    """Check one file; the facts for the results cache come along unless fixes changed it."""
    project = project or _worker_index or _new_index(job.extra_decorators)
    try:
        status = os.stat(job.path)
        source = Path(job.path).read_bytes()
    except OSError as exc:
        return FileReport(job.path, error=f"cannot be read: {exc.strerror or exc}"), None
    with project.reading() as reads:
        report = check_bytes(source, job, project)
    if report.error or report.fixed is not None:
        return report, None
    state = (status.st_size, status.st_mtime_ns, hashlib.sha256(source).hexdigest())
    return report, (state, frozenset(reads))


def _new_index(extra_decorators: tuple[str, ...] = ()) -> ProjectIndex:
    from fixlint.project import ProjectIndex

    return ProjectIndex(extra_decorators=extra_decorators)


def check_bytes(source: bytes, job: Job, project: ProjectIndex | None = None) -> FileReport:
    from fixlint.engine import check_source
    from fixlint.rules import BY_CODE

    rules = [BY_CODE[code] for code in job.codes]
    try:
        return check_source(
            source, job.path, rules,
            extra_decorators=job.extra_decorators, resources=job.resources, fix=job.fix, unsafe_fixes=job.unsafe_fixes,
            project=project,
        )
    except RecursionError:
        return FileReport(job.path, error="internal error: the file is nested too deeply to analyse")
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
        return FileReport(job.path, error=f"internal error: {type(exc).__name__}: {exc}")


def make_job(path: Path | str, settings: Settings, *, fix: bool, unsafe_fixes: bool) -> Job:
    return Job(
        path=str(path),
        codes=settings.codes_for(Path(path)),
        extra_decorators=settings.fixture_decorators,
        resources=settings.resources,
        fix=fix,
        unsafe_fixes=unsafe_fixes,
    )


def make_index(settings: Settings, *, use_cache: bool = True) -> ProjectIndex:
    """The project index for a run, with its summaries cached under the project root."""
    from fixlint.project import ProjectIndex

    cache = SummaryCache(settings.root / CACHE_DIR_NAME, _salt(settings.fixture_decorators)) if use_cache else None
    return ProjectIndex(
        extra_decorators=settings.fixture_decorators, plugin_fixtures=settings.plugin_fixtures, cache=cache
    )


def make_results_cache(settings: Settings) -> ResultsCache:
    """The results of earlier runs of this fixlint with these settings, in this environment
    (the installed packages, pytest plugins among them, decide which fixtures exist)."""
    inputs = (settings.fixture_decorators, settings.resources, settings.plugin_fixtures, _environment())
    return ResultsCache(settings.root / CACHE_DIR_NAME, _salt(inputs))


def _salt(inputs: object) -> str:
    """fixlint's version and a digest of its own code and of ``inputs`` (repr, not hash():
    str hashes differ from run to run, and the salt must not)."""
    return f"{__version__}-{hashlib.sha256(repr((_code_stamp(), inputs)).encode()).hexdigest()[:16]}"


@functools.cache
def _code_stamp() -> tuple[tuple[str, int, int], ...]:
    """fixlint's own modules by size and time: a changed rule never meets old results, even
    before the version number moves (as while developing)."""
    package = Path(__file__).parent
    return tuple(
        (str(path.relative_to(package)), stat.st_size, stat.st_mtime_ns)
        for path in sorted(package.rglob("*.py"))
        for stat in [path.stat()]
    )


@functools.cache
def _environment() -> str:
    """The Python, its module search path, and what is installed on it: the names of the
    distributions' metadata folders, which hold name and version (``pytest-9.2.0.dist-info``).
    Listing the folders costs far less than reading every distribution's metadata."""
    metadata = (".dist-info", ".egg-info", ".egg-link", ".pth")
    installed = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a zip file, a missing folder
            continue
        installed.append(sorted(name for name in names if name.endswith(metadata)))
    return repr((sys.version, sys.path, installed))


def _absolute(job: Job) -> str:
    return os.path.abspath(job.path)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _codes_key(job: Job) -> str:
    return ",".join(job.codes)


def run_jobs(
    jobs: list[Job],
    processes: int | None = None,
    index: Callable[[], ProjectIndex] = _new_index,
    results: ResultsCache | None = None,
) -> list[FileReport]:
    """Reports in the order of ``jobs``; serial for small runs or one process.

    Files whose results are cached are not read (unless ``--fix`` would change them). When
    some are not, ``index()`` makes the project index: the main process reads the conftest.py
    files and plugins those files need first (once, or from the cache), and hands the
    summaries to the workers."""
    reports: list[FileReport | None] = [None] * len(jobs)
    todo: list[int] = []
    for i, job in enumerate(jobs):
        cached = results.get(_absolute(job), _codes_key(job)) if results is not None else None
        if cached is None or (job.fix and any(d.fixable(job.unsafe_fixes) for d in cached)):
            todo.append(i)
        else:  # the path as this run names it: the cache is keyed by absolute path
            found = [dataclasses.replace(d, path=job.path) for d in cached]
            reports[i] = FileReport(job.path, diagnostics=found, initial=found)
    if not todo:
        if results is not None:
            results.save()
        return reports  # type: ignore[return-value]
    project = index()
    if any(code.startswith("FXL4") for i in todo for code in jobs[i].codes):
        for i in todo:
            project.outer_levels(Path(jobs[i].path).absolute())
    workers = processes if processes is not None else (os.cpu_count() or 1)
    try:
        if workers <= 1 or len(todo) < PARALLEL_THRESHOLD:
            done = [run_job(jobs[i], project) for i in todo]
        else:
            # Largest files first, in small chunks: no worker is left alone with a big file at the end.
            todo.sort(key=lambda i: _size(jobs[i].path), reverse=True)
            from concurrent.futures import ProcessPoolExecutor  # here: most runs need no workers

            seed = (project.extra_decorators, project.plugin_fixtures, project.installed_plugins, project.summaries)
            with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=seed) as pool:
                chunks = max(1, len(todo) // (workers * 32))
                done = list(pool.map(run_job, [jobs[i] for i in todo], chunksize=chunks))
        for i, (report, facts) in zip(todo, done):
            reports[i] = report
            if results is not None and facts is not None:
                results.put(_absolute(jobs[i]), _codes_key(jobs[i]), *facts, report.diagnostics)
    finally:
        for cache in (project.cache, results):
            if cache is not None:
                cache.save()
    return reports  # type: ignore[return-value]


def _start_worker(
    extra_decorators: tuple[str, ...],
    plugin_fixtures: tuple[tuple[str, str], ...],
    installed_plugins: tuple[str, ...] | None,
    summaries: dict,
) -> None:
    from fixlint.project import ProjectIndex

    global _worker_index
    _worker_index = ProjectIndex(extra_decorators, plugin_fixtures, installed_plugins, summaries=dict(summaries))


def write_fixed(path: Path, original: bytes, fixed: bytes) -> str | None:
    """Replace ``path``'s content atomically, keeping its mode; an error message, or None.

    Nothing is written when the file is read-only or changed since it was read.
    """
    target = path.resolve()
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
        # No write bit counts as read-only even for root, who could write it anyway.
        if not os.access(target, os.W_OK) or not mode & 0o222:
            return "is read-only; the fix was not written"
        if target.read_bytes() != original:
            return "changed on disk while fixlint was checking it; the fix was not written"
        import tempfile

        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".fixlint")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(fixed)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        return f"could not be written: {exc.strerror or exc}"
    return None
