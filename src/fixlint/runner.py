"""Running the engine over many files: reading, spreading work over processes, writing fixes.

Workers get paths and rule codes and return plain ``FileReport`` values (never trees);
only the main process writes files, atomically, and only when a fix changed them.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from fixlint import __version__
from fixlint.cache import CACHE_DIR_NAME, SummaryCache
from fixlint.config import Settings
from fixlint.engine import FileReport, check_source
from fixlint.project import ProjectIndex
from fixlint.rules import BY_CODE

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


# The index a worker process uses: seeded by ``_start_worker`` with the main process's summaries.
_worker_index: ProjectIndex | None = None


def run_job(job: Job, project: ProjectIndex | None = None) -> FileReport:
    try:
        source = Path(job.path).read_bytes()
    except OSError as exc:
        return FileReport(job.path, error=f"cannot be read: {exc.strerror or exc}")
    return check_bytes(source, job, project or _worker_index)


def check_bytes(source: bytes, job: Job, project: ProjectIndex | None = None) -> FileReport:
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
        codes=tuple(rule.code for rule in settings.rules_for(Path(path))),
        extra_decorators=settings.fixture_decorators,
        resources=settings.resources,
        fix=fix,
        unsafe_fixes=unsafe_fixes,
    )


def make_index(settings: Settings, *, use_cache: bool = True) -> ProjectIndex:
    """The project index for a run, with its summaries cached under the project root."""
    cache = None
    if use_cache:
        # str hashes differ from run to run: the salt must not, or the cache never hits
        decorators = hashlib.sha256("\0".join(settings.fixture_decorators).encode()).hexdigest()[:12]
        salt = f"{__version__}-{decorators}" if settings.fixture_decorators else __version__
        cache = SummaryCache(settings.root / CACHE_DIR_NAME, salt)
    return ProjectIndex(
        extra_decorators=settings.fixture_decorators, plugin_fixtures=settings.plugin_fixtures, cache=cache
    )


def run_jobs(jobs: list[Job], processes: int | None = None, project: ProjectIndex | None = None) -> list[FileReport]:
    """Reports in the order of ``jobs``; serial for small runs or one process.

    The main process reads the conftest.py files and plugins every job needs first (once, or
    from the cache), and hands the summaries to the workers."""
    project = project if project is not None else ProjectIndex()
    if any(code.startswith("FXL4") for job in jobs for code in job.codes):
        for job in jobs:
            project.outer_levels(Path(job.path).absolute())
    workers = processes if processes is not None else (os.cpu_count() or 1)
    try:
        if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD:
            return [run_job(job, project) for job in jobs]
        seed = (project.extra_decorators, project.plugin_fixtures, project.installed_plugins, project.summaries)
        with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=seed) as pool:
            return list(pool.map(run_job, jobs, chunksize=max(1, len(jobs) // (workers * 8))))
    finally:
        if project.cache is not None:
            project.cache.save()


def _start_worker(
    extra_decorators: tuple[str, ...],
    plugin_fixtures: tuple[tuple[str, str], ...],
    installed_plugins: tuple[str, ...] | None,
    summaries: dict,
) -> None:
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
