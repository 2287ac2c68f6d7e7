"""How much faster is a second ``fixlint check`` over an unchanged suite than the first?

Downloads the pandas 3.1.1 wheel with pip (once, into the work folder), unpacks its tests, and
runs the ``fixlint`` of this interpreter over them: a cold run (cache removed) and then a warm
run (nothing changed), alternating, several times. Prints the medians and their ratio as a
markdown table. Run from anywhere:

    python bench/second_run.py [--repeat 3] [--work /tmp/fixlint-bench]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

WHEEL = "pandas==3.1.1"
TESTS = "pandas/tests/"


def unpack_suite(work: Path) -> Path:
    """The pandas tests, unpacked under ``work`` (downloaded and unpacked on the first call)."""
    suite = work / "pandas-3.1.1"
    if (suite / TESTS).is_dir():
        return suite
    downloads = work / "downloads"
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
         "--python-version", "3.11", "--dest", str(downloads), WHEEL],
        check=True,
    )
    [wheel] = downloads.glob("pandas-3.1.1-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(suite, [name for name in archive.namelist() if name.startswith(TESTS)])
    return suite


def timed_check(suite: Path) -> tuple[float, str]:
    """Wall time of one ``fixlint check`` and its report (the reports of both runs must agree)."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "fixlint", "check", "--exit-zero", TESTS],
        cwd=suite, capture_output=True, text=True, check=True,
    )
    return time.perf_counter() - start, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fixlint-bench"))
    args = parser.parse_args()
    suite = unpack_suite(args.work)
    files = sum(1 for _ in (suite / TESTS).rglob("*.py"))
    cold: list[float] = []
    warm: list[float] = []
    for _ in range(args.repeat):
        shutil.rmtree(suite / ".fixlint_cache", ignore_errors=True)
        seconds, first = timed_check(suite)
        cold.append(seconds)
        seconds, second = timed_check(suite)
        warm.append(seconds)
        if first != second:
            sys.exit("the second run reported something else than the first: the cache is wrong")
    cold_median, warm_median = statistics.median(cold), statistics.median(warm)
    print(f"pandas 3.1.1 tests: {files} files; {platform.python_version()}, {platform.machine()}, "
          f"{_cpus()} CPUs; {args.repeat} repetitions, medians")
    print()
    print("| run | wall time (s) |")
    print("| --- | ---: |")
    print(f"| first (no cache) | {cold_median:.2f} |")
    print(f"| second (nothing changed) | {warm_median:.2f} |")
    print(f"| ratio | {cold_median / warm_median:.1f}x |")


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main()
