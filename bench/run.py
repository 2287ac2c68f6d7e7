"""Times fixlint against ruff and flake8 on the tests of six real projects; prints a markdown report.

Downloads pinned releases with pip (once, into the work folder) and unpacks the Python files of
their tests, builds a virtual environment with the peers (ruff, flake8 with flake8-pytest-style),
then times every tool on every suite, interleaved over several repetitions, and prints the medians
and the ratios the speed targets of issue 6 are about. See docs/performance.md. Run from anywhere:

    python bench/run.py [--work /tmp/fixlint-bench] [--repeat 5] [--repeat-slow 1]
                        [--suites pandas,pytest] [--write-docs]

Needs only Python with pip and fixlint installed in the interpreter that runs it; Linux, because
memory is read from /proc. Progress goes to standard error, the report to standard output.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

DOCS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
# The versions installed in the peers environment, dependencies included, so a rerun measures the same.
PEERS = (
    "ruff==0.17.6",
    "flake8==7.5.0",
    "flake8-pytest-style==2.2.0",
    "flake8-plugin-utils==1.3.3",
    "pycodestyle==2.15.0",
    "pyflakes==4.1.0",
    "mccabe==0.7.0",
)
STARTED = time.perf_counter()
LOAD_AT_START = os.getloadavg()[0]  # reported: other work on the machine skews every number
SAMPLE_SECONDS = 0.01  # how often the memory of a running tool is read
# The growth check: fixlint cold on every n-th file of the largest suite, for each n here.
SCALING = {4: "every 4th file", 2: "every 2nd file", 1: "every file"}
TARGETS = {  # the goals of issue 6, as shown in the targets table
    "cold": "≤ 5x",
    "flake8": "≥ 10x",
    "warm": "≤ 1x",
    "touched": "< 0.5 s",
    "memory": "< 300 MB",
    "jobs": "≥ 1.6x",
}


@dataclass(frozen=True)
class Suite:
    name: str  # the distribution pip downloads
    version: str
    wheel: bool  # a wheel for this Python; else the sdist, which is unpacked, never built
    linted: str  # the folder the tools check, inside the archive (an sdist's top folder left out)

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


SUITES = (
    Suite("pandas", "3.1.1", True, "pandas/tests"),
    Suite("astropy", "8.0.2", True, "astropy"),  # tests live in */tests all over the package
    Suite("scikit-learn", "1.9.1", True, "sklearn"),  # likewise
    Suite("pytest", "9.2.0", False, "testing"),
    Suite("aiohttp", "3.14.5", False, "tests"),
    Suite("django", "5.2.19", False, "tests"),
)


@dataclass(frozen=True)
class Tree:
    """A suite unpacked: every tool runs in ``root`` on ``suite.linted`` (or on some of ``files``)."""

    suite: Suite
    root: Path
    files: tuple[str, ...]  # the .py files under the linted folder, relative to root, sorted
    lines: int
    touched: str  # the file the "one file touched" run edits


@dataclass(frozen=True)
class Mode:
    """One way of running a tool; every repetition runs each mode once, in the order given."""

    label: str
    tool: str  # "fixlint", "ruff" or "flake8"
    args: tuple[str, ...]
    cold: bool = False  # fixlint's cache is removed first
    touch: bool = False  # one file is edited for the run and restored after it
    slow: bool = False  # run only in the first --repeat-slow repetitions
    same_report: bool = False  # must print what fixlint printed on the first run (a wrong cache would not)


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the tool and every process it waited for
    peak: float  # MB: the highest summed resident memory of the tool's process tree


@dataclass(frozen=True)
class Finished:
    sample: Sample
    code: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Tools:
    fixlint: tuple[str, ...]
    ruff: str
    flake8: str
    env: dict[str, str]  # fixlint's signing key lives under the work folder, not in the user's cache

    def command(self, mode: Mode) -> list[str]:
        if mode.tool == "fixlint":
            return [*self.fixlint, "check", "--exit-zero", "--output-format", "text", *mode.args]
        if mode.tool == "ruff":  # --isolated: no user or project configuration changes what is run
            return [self.ruff, "check", "--no-cache", "--isolated", "--select", "PT", "--exit-zero",
                    *mode.args]
        return [self.flake8, "--isolated", "--select", "PT", "--exit-zero", *mode.args]


# ---- getting the suites and the peers ----------------------------------------------------------


def log(message: str) -> None:
    """Progress on standard error, with the time since the bench started."""
    minutes, seconds = divmod(int(time.perf_counter() - STARTED), 60)
    print(f"[{minutes:3d}:{seconds:02d}] {message}", file=sys.stderr, flush=True)


def download(suite: Suite, downloads: Path) -> Path:
    """The suite's wheel or sdist in ``downloads``, fetched with pip unless already there."""
    found = _downloaded(suite, downloads)
    if found:
        return found
    log(f"downloading {suite.label}")
    kind = ["--only-binary", ":all:"] if suite.wheel else ["--no-binary", ":all:"]
    _run_or_stop([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", *kind,
                  "--dest", str(downloads), f"{suite.name}=={suite.version}"])
    found = _downloaded(suite, downloads)
    if not found:
        sys.exit(f"pip downloaded no {'wheel' if suite.wheel else 'sdist'} of {suite.label}")
    return found


def _downloaded(suite: Suite, downloads: Path) -> Path | None:
    """Archive names spell a project's name in several ways (scikit_learn, Django): compare normalized."""
    name = "[-_.]+".join(re.escape(part) for part in re.split(r"[-_.]+", suite.name.lower()))
    tail = r"-.+\.whl" if suite.wheel else r"\.tar\.gz"
    pattern = re.compile(rf"{name}-{re.escape(suite.version)}{tail}")
    matches = sorted(p for p in downloads.glob("*") if pattern.fullmatch(p.name.lower()))
    return matches[0] if matches else None


def unpack(suite: Suite, archive: Path, work: Path) -> Path:
    """WORK/<name>-<version>, holding the linted folder's .py files and nothing else (unpacked once).

    The files go to a temporary folder renamed at the end, so an interrupted unpack is never reused.
    """
    root = work / f"{suite.name}-{suite.version}"
    if (root / suite.linted).is_dir():
        return root
    log(f"unpacking {suite.linted} of {archive.name}")
    partial = work / f"{root.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    for name, data in _python_files(archive, suite):
        target = partial / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    shutil.rmtree(root, ignore_errors=True)
    partial.rename(root)
    return root


def _python_files(archive: Path, suite: Suite) -> Iterator[tuple[str, bytes]]:
    """(path, content) of each .py file under the linted folder; a path leaving the folder is skipped."""

    def wanted(name: str) -> bool:
        path = PurePosixPath(name)
        return (name.startswith(suite.linted + "/") and name.endswith(".py")
                and not path.is_absolute() and ".." not in path.parts)

    if suite.wheel:
        with zipfile.ZipFile(archive) as wheel:
            for info in wheel.infolist():
                if not info.is_dir() and wanted(info.filename):
                    yield info.filename, wheel.read(info)
        return
    with tarfile.open(archive) as sdist:
        for member in sdist:
            name = member.name.partition("/")[2]  # without the sdist's top folder, name-version/
            file = sdist.extractfile(member) if member.isfile() and wanted(name) else None
            if file:
                yield name, file.read()


def survey(suite: Suite, root: Path) -> Tree:
    """Count the suite's files and lines and choose the file the "one file touched" runs edit."""
    files = sorted(p.relative_to(root).as_posix() for p in (root / suite.linted).rglob("*.py"))
    contents = {name: (root / name).read_bytes() for name in files}
    lines = sum(len(data.splitlines()) for data in contents.values())
    return Tree(suite, root, tuple(files), lines, _file_to_touch(contents))


def _file_to_touch(contents: dict[str, bytes]) -> str:
    """The median-sized test module defining a fixture: an everyday edit, the same one on every run."""
    tests = [name for name in contents if PurePosixPath(name).name.startswith("test_")]
    with_fixtures = [name for name in tests if b"pytest.fixture" in contents[name]]
    candidates = sorted(with_fixtures or tests or contents, key=lambda name: (len(contents[name]), name))
    return candidates[len(candidates) // 2]


def make_peers(work: Path) -> Path:
    """A virtual environment with the pinned peers, WORK/peers (rebuilt only when the pins change)."""
    peers = work / "peers"
    pins = peers / "bench-pins.txt"
    wanted = "\n".join(PEERS) + "\n"
    if pins.is_file() and pins.read_text() == wanted:
        return peers
    log(f"installing {', '.join(PEERS[:3])} into {peers}")
    shutil.rmtree(peers, ignore_errors=True)
    _run_or_stop([sys.executable, "-m", "venv", str(peers)])
    _run_or_stop([str(peers / "bin" / "python"), "-m", "pip", "install", "--quiet", *PEERS])
    pins.write_text(wanted)
    return peers


def _run_or_stop(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Standard output of a command that must succeed; the bench stops with its error otherwise."""
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {shlex.join(command)}\n{result.stderr}{result.stdout}")
    return result.stdout


# ---- measuring one run ---------------------------------------------------------------------------


class TreeMemory(threading.Thread):
    """Samples the summed resident memory of a process and all its descendants; keeps the peak.

    fixlint checks in worker processes, so the memory of the main process alone would say little.
    Children are found by their parent pid in /proc/<pid>/stat, read once per process.
    """

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak = 0  # bytes
        self._parents: dict[int, int] = {}
        self._done = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")

    def run(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, sum(_resident(pid) * self._page for pid in self._tree()))
            self._done.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._done.set()
        self.join()

    def _tree(self) -> list[int]:
        """The root and its descendants alive now."""
        alive = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        for gone in self._parents.keys() - alive:
            del self._parents[gone]
        for new in alive - self._parents.keys():
            self._parents[new] = _parent(new)
        children: dict[int, list[int]] = defaultdict(list)
        for pid, parent in self._parents.items():
            children[parent].append(pid)
        tree, i = [self.root], 0
        while i < len(tree):
            tree.extend(children[tree[i]])
            i += 1
        return tree


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return -1  # gone already
    return int(stat[stat.rindex(b")") + 2:].split()[1])  # after "pid (command) state"


def _resident(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_bytes().split()[1])
    except (OSError, IndexError):
        return 0


def measure(command: list[str], cwd: Path, env: dict[str, str]) -> Finished:
    """Run a command and measure it: wall time, CPU time of it and its children, peak tree memory.

    ``os.wait4`` gives the CPU time of the process and of every descendant it reaped (fixlint's workers).
    Its ``ru_maxrss`` is no use for memory: it counts the bench's own memory, copied at the fork.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        # In a process group of its own, so that stopping the bench stops the tool and its workers too.
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True)
        memory = TreeMemory(process.pid)
        memory.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            raise
        wall = time.perf_counter() - start
        memory.stop()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    sample = Sample(wall, usage.ru_utime + usage.ru_stime, memory.peak / 1e6)
    return Finished(sample, process.returncode, stdout, stderr)


@contextmanager
def touched(path: Path, count: int) -> Iterator[None]:
    """The file with one comment line appended, as an edit would leave it; restored exactly after."""
    original, status = path.read_bytes(), path.stat()
    newline = b"" if original.endswith(b"\n") or not original else b"\n"
    try:
        path.write_bytes(original + newline + f"# bench touch {count}\n".encode())
        yield
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def remove_fixlint_cache(tree: Tree, tools: Tools) -> None:
    """No cache anywhere fixlint could find one for this suite: ``fixlint clean``, then any left over."""
    _run_or_stop([*tools.fixlint, "clean"], cwd=tree.root, env=tools.env)
    for folder in sorted(tree.root.rglob(".fixlint_cache"), reverse=True):
        shutil.rmtree(folder, ignore_errors=True)


# ---- the plan: which runs, in which order ----------------------------------------------------------


def modes_for(tree: Tree, largest: bool) -> list[Mode]:
    """The runs of one repetition on a suite; the largest suite also gets the process and growth runs.

    The cold run primes the cache for the warm run after it, and the warm tree is what the touched run
    edits: these three stay in this order.
    """
    folder = (tree.suite.linted,)
    modes = [
        Mode("fixlint cold", "fixlint", folder, cold=True, same_report=True),
        Mode("fixlint warm", "fixlint", folder, same_report=True),
        Mode("fixlint one file touched", "fixlint", folder, touch=True, same_report=True),
    ]
    if largest:
        for jobs in ("1", "2"):
            modes.append(Mode(f"fixlint cold --jobs {jobs}", "fixlint", ("--jobs", jobs, *folder),
                              cold=True, same_report=True))
        for step in SCALING:
            modes.append(Mode(_share(step), "fixlint", tree.files[::step], cold=True))
    modes.append(Mode("ruff --select PT", "ruff", folder))
    modes.append(Mode("flake8 --select PT", "flake8", folder, slow=True))
    return modes


def _share(step: int) -> str:
    return f"fixlint cold, {SCALING[step]} named"


def check_tools_once(trees: list[Tree], tools: Tools) -> dict[str, dict[str, str]]:
    """Run each tool once on each suite before measuring; stop at the first that fails.

    Returns each tool's report per suite: fixlint's is what every later fixlint run must print again.
    """
    reports: dict[str, dict[str, str]] = {}
    for tree in trees:
        reports[tree.suite.name] = {}
        remove_fixlint_cache(tree, tools)
        for tool in ("fixlint", "ruff", "flake8"):
            log(f"checking that {tool} runs on {tree.suite.label}")
            finished = measure(tools.command(Mode(tool, tool, (tree.suite.linted,))), tree.root, tools.env)
            silent = not finished.stdout.strip() and tool != "flake8"  # flake8 prints nothing when clean
            if finished.code != 0 or silent:
                sys.exit(f"{tool} failed on {tree.suite.label} (exit {finished.code}):\n"
                         f"{finished.stderr}{finished.stdout[-2000:]}")
            reports[tree.suite.name][tool] = finished.stdout
    return reports


Results = dict[str, dict[str, list[Sample]]]  # suite name -> mode label -> samples


def measure_all(trees: list[Tree], tools: Tools, reports: dict[str, dict[str, str]], repeat: int,
                repeat_slow: int) -> Results:
    """Every mode on every suite once per repetition, always in the same order."""
    largest = max(trees, key=lambda tree: tree.lines)  # the most code: where the work is
    results: Results = {tree.suite.name: defaultdict(list) for tree in trees}
    for repetition in range(1, repeat + 1):
        for tree in trees:
            for mode in modes_for(tree, tree is largest):
                if mode.slow and repetition > repeat_slow:
                    continue
                finished = run_mode(tree, mode, tools, repetition)
                expected = reports[tree.suite.name]["fixlint"]
                if mode.same_report and finished.stdout != expected:
                    sys.exit(f"{tree.suite.label}: '{mode.label}' reported something else than the first "
                             f"fixlint run:\n{_difference(expected, finished.stdout)}")
                results[tree.suite.name][mode.label].append(finished.sample)
                log(f"{repetition}/{repeat} {tree.suite.label}: {mode.label}: {finished.sample.wall:.2f} s")
    return results


def run_mode(tree: Tree, mode: Mode, tools: Tools, repetition: int) -> Finished:
    if mode.cold:
        remove_fixlint_cache(tree, tools)
    command = tools.command(mode)
    if mode.touch:
        with touched(tree.root / tree.touched, repetition):
            finished = measure(command, tree.root, tools.env)
    else:
        finished = measure(command, tree.root, tools.env)
    if finished.code != 0:
        sys.exit(f"{tree.suite.label}: '{mode.label}' failed (exit {finished.code}):\n{finished.stderr}")
    return finished


def _difference(expected: str, got: str) -> str:
    diff = difflib.unified_diff(expected.splitlines(), got.splitlines(), "first run", "this run", lineterm="")
    return "\n".join(list(diff)[:30])


# ---- the report -------------------------------------------------------------------------------------


def machine() -> list[tuple[str, str]]:
    """What the numbers were measured on."""
    cpuinfo = _read("/proc/cpuinfo")
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", _read("/proc/meminfo"), re.MULTILINE)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    system = re.search(r'^PRETTY_NAME="?([^"\n]+)', _read("/etc/os-release"), re.MULTILINE)
    return [
        ("CPU", f"{model.group(1) if model else platform.processor() or platform.machine()}, "
                f"{os.cpu_count()} cores ({usable} usable)"),
        ("RAM", f"{int(memory.group(1)) / 1024**2:.1f} GiB" if memory else "unknown"),
        ("OS", f"{system.group(1) if system else platform.system()}, kernel {platform.release()}"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("load average when the bench started", f"{LOAD_AT_START:.2f}"),
    ]


def _read(path: str) -> str:
    try:
        return Path(path).read_text(errors="replace")
    except OSError:
        return ""


def versions(tools: Tools) -> list[tuple[str, str]]:
    """What each tool says it is; flake8's line also shows that flake8-pytest-style is loaded."""
    flake8 = " ".join(_run_or_stop([tools.flake8, "--version"], env=tools.env).split())  # one line
    if "flake8-pytest-style" not in flake8:
        sys.exit(f"flake8 does not load flake8-pytest-style: {flake8}")
    return [
        ("fixlint", _run_or_stop([*tools.fixlint, "--version"], env=tools.env)),
        ("ruff", _run_or_stop([tools.ruff, "--version"], env=tools.env)),
        ("flake8", flake8),
    ]


def findings(tool: str, report: str) -> int:
    """How many findings a report holds: fixlint and ruff end with "Found N errors", flake8 has one a line."""
    if tool == "flake8":
        return sum(1 for line in report.splitlines() if line.strip())
    found = re.search(r"^Found (\d+) error", report, re.MULTILINE)
    return int(found.group(1)) if found else 0


@dataclass(frozen=True)
class Median:
    runs: int
    wall: float
    cpu: float
    peak: float


def median(samples: list[Sample]) -> Median:
    return Median(len(samples), statistics.median(s.wall for s in samples),
                  statistics.median(s.cpu for s in samples), statistics.median(s.peak for s in samples))


def mark(passed: bool) -> str:
    return "✅" if passed else "❌"


def table(header: list[str], rows: list[list[str]], right_from: int = 1) -> list[str]:
    """A markdown table; the columns from ``right_from`` on hold numbers and are right-aligned."""
    rule = ["---" if i < right_from else "---:" for i in range(len(header))]
    return [f"| {' | '.join(cells)} |" for cells in (header, rule, *rows)]


def report(trees: list[Tree], results: Results, reports: dict[str, dict[str, str]], tools: Tools,
           args: argparse.Namespace, minutes: float) -> str:
    """The whole document: machine and versions, summary, targets, per-suite details, growth."""
    largest = max(trees, key=lambda tree: tree.lines)  # the most code: where the work is
    medians = {name: {label: median(s) for label, s in modes.items()} for name, modes in results.items()}
    command = shlex.join(["python", "bench/run.py", *sys.argv[1:]])
    lines = [
        f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC with `{command}`; repetitions: "
        f"{args.repeat}, interleaved, flake8 in {min(args.repeat_slow, args.repeat)} of them; medians. "
        f"The whole run took {minutes:.1f} min.",
        "",
        *table(["machine", ""], [[key, value] for key, value in machine()], right_from=2),
        "",
        *table(["tool", "version"], [[tool, f"`{text.strip()}`"] for tool, text in versions(tools)],
               right_from=2),
        "",
        "### Summary",
        "",
        "Median wall time in seconds; peak memory is the highest of every fixlint run on the suite.",
        "",
        *summary(trees, medians, results),
        "",
        "### Targets",
        "",
        *targets(trees, medians, results, largest),
        "",
        "### Each suite",
    ]
    for tree in trees:
        lines += ["", *details(tree, medians[tree.suite.name], reports[tree.suite.name])]
    lines += ["", "### Does the cost grow linearly with the files?", "", *growth(largest, medians)]
    return "\n".join(lines) + "\n"


def _peak(results: dict[str, list[Sample]]) -> float:
    return max(s.peak for label, samples in results.items() if label.startswith("fixlint") for s in samples)


def summary(trees: list[Tree], medians: dict[str, dict[str, Median]], results: Results) -> list[str]:
    header = ["suite", "files", "lines", "fixlint cold", "fixlint warm", "one file touched", "ruff PT",
              "flake8 PT", "fixlint peak MB"]
    rows = []
    for tree in trees:
        m = medians[tree.suite.name]
        rows.append([tree.suite.label, f"{len(tree.files):,}", f"{tree.lines:,}",
                     *(f"{m[label].wall:.2f}" for label in ("fixlint cold", "fixlint warm",
                                                            "fixlint one file touched",
                                                            "ruff --select PT", "flake8 --select PT")),
                     f"{_peak(results[tree.suite.name]):.0f}"])
    return table(header, rows)


def targets(trees: list[Tree], medians: dict[str, dict[str, Median]], results: Results,
            largest: Tree) -> list[str]:
    """Each target of issue 6 with its measured value and ✅ or ❌."""
    header = ["suite", f"cold ÷ ruff ({TARGETS['cold']})", f"flake8 ÷ cold ({TARGETS['flake8']})",
              f"warm ÷ ruff ({TARGETS['warm']})", f"one file touched ({TARGETS['touched']})",
              f"peak memory ({TARGETS['memory']})"]
    rows = []
    for tree in trees:
        m = medians[tree.suite.name]
        cold, warm, ruff = m["fixlint cold"].wall, m["fixlint warm"].wall, m["ruff --select PT"].wall
        flake8, touch = m["flake8 --select PT"].wall, m["fixlint one file touched"].wall
        peak = _peak(results[tree.suite.name])
        rows.append([tree.suite.label, f"{cold / ruff:.1f}x {mark(cold <= 5 * ruff)}",
                     f"{flake8 / cold:.1f}x {mark(flake8 >= 10 * cold)}",
                     f"{warm / ruff:.2f}x {mark(warm <= ruff)}",
                     f"{touch:.2f} s {mark(touch < 0.5)}", f"{peak:.0f} MB {mark(peak < 300)}"])
    m = medians[largest.suite.name]
    one, two = m["fixlint cold --jobs 1"].wall, m["fixlint cold --jobs 2"].wall
    return [
        *table(header, rows),
        "",
        "The issue sets the one-file-touched target on pandas; the other suites show the same measure.",
        "",
        f"Two processes against one, fixlint cold on the largest suite ({largest.suite.label}): "
        f"`--jobs 1` {one:.2f} s ÷ `--jobs 2` {two:.2f} s = **{one / two:.2f}x** "
        f"(target {TARGETS['jobs']}) {mark(one >= 1.6 * two)}",
    ]


def details(tree: Tree, medians: dict[str, Median], reports: dict[str, str]) -> list[str]:
    """A suite's table: every mode's median wall and CPU time, peak memory and files per second."""
    suite = tree.suite
    digest = hashlib.sha256(reports["fixlint"].encode()).hexdigest()[:12]
    counts = ", ".join(f"{tool} {findings(tool, reports[tool]):,}" for tool in ("fixlint", "ruff", "flake8"))
    rows = [[label, str(m.runs), f"{m.wall:.2f}", f"{m.cpu:.2f}", f"{m.peak:.0f}",
             f"{len(tree.files) / m.wall:,.0f}"]
            for label, m in medians.items() if not label.startswith("fixlint cold,")]
    return [
        f"**{suite.label}**: `{suite.linted}` of the {'wheel' if suite.wheel else 'sdist'}, "
        f"{len(tree.files):,} files, {tree.lines:,} lines. Findings: {counts} "
        f"(fixlint's report: sha256 `{digest}`). The touched file: `{tree.touched}`.",
        "",
        *table(["run", "runs", "wall s", "CPU s", "peak MB", "files/s"], rows),
    ]


def growth(largest: Tree, medians: dict[str, dict[str, Median]]) -> list[str]:
    """fixlint cold on growing shares of the largest suite: the cost per file should stay flat."""
    rows = []
    for step in SCALING:
        files = largest.files[::step]
        lines = sum(len((largest.root / name).read_bytes().splitlines()) for name in files)
        m = medians[largest.suite.name][_share(step)]
        rows.append([SCALING[step], f"{len(files):,}", f"{lines:,}", f"{m.wall:.2f}",
                     f"{m.wall / len(files) * 1000:.2f}", f"{m.cpu / len(files) * 1000:.2f}",
                     f"{m.wall / lines * 100_000:.2f}"])
    return [
        f"fixlint cold on every 4th, every 2nd and every file of {largest.suite.label} (its files sorted by "
        "path, named on the command line): taking every n-th file keeps the same mix of small and large "
        "files and folders in each share. Flat seconds per 1,000 files mean the cost grows linearly; "
        "each run also pays a fixed start-up, which weighs more on the smaller shares.",
        "",
        *table(["files named", "files", "lines", "wall s", "wall s / 1,000 files", "CPU s / 1,000 files",
                "wall s / 100k lines"], rows),
    ]


# ---- the documentation page -----------------------------------------------------------------------

INTRO = """\
# Performance

How fast fixlint is on real test suites, next to the tools that check pytest code already: ruff
with its `PT` rules and flake8 with flake8-pytest-style. The numbers below come from the bench
command and were written to this page by it; do not edit them by hand.

## Running the bench

With fixlint installed in the interpreter that runs it (see the README), from the repository root:

```
python bench/run.py --write-docs
```

It needs Python with pip and nothing else, and Linux (memory is read from `/proc`). It downloads
the pinned releases below with pip into its work folder (`--work`, default `/tmp/fixlint-bench`)
once, unpacks only the `.py` files of the folder each tool checks, and installs the peers into a
virtual environment of their own in that folder. pip prepares an sdist's metadata but nothing is
built or installed from the suites. It prints a markdown report; `--write-docs` also rewrites this
page. `--suites pandas,pytest` runs on some suites only, `--repeat N` sets the repetitions
(default 5) and `--repeat-slow N` how many of them run flake8 (default 1: flake8 takes about a
minute per suite). A full run took about 10 minutes on two cores, three quarters of it in
flake8 (its check run before measuring and its measured run); the report says how long it took.
Run it on an otherwise idle machine: the report shows the load average when the bench started.

| suite | archive | what is checked |
| --- | --- | --- |
{suites}

The peers, with the versions of their dependencies pinned too: {peers}.

## What is measured

Each repetition runs every mode on every suite once, in a fixed order, so a slow moment of the
machine spreads over all tools instead of falling on one; the report shows the median of the
repetitions. Before measuring, every tool runs once on every suite: a run that fails, or a fixlint
run that reports something else than that first run (a wrong cache would), stops the bench.

- **fixlint cold**: `fixlint check --exit-zero --output-format text` on the suite's folder, with
  no cache: `fixlint clean` runs first and any `.fixlint_cache/` left is removed (see
  [The cache](cli.md#the-cache)). The suite's files are in the operating system's file cache, as
  they are when you run a check after editing.
- **fixlint warm**: the same command right after the cold run, nothing changed.
- **fixlint one file touched**: after the warm run, one test module that defines fixtures (the
  median-sized one, named in the report) gets a comment line appended, as an edit would; the file
  is restored exactly, time included, after the run.
- **ruff --select PT**: `ruff check --no-cache --isolated --select PT --exit-zero`.
- **flake8 --select PT**: `flake8 --isolated --select PT --exit-zero`, with flake8's default of one
  process per CPU.
- On the suite with the most lines of code: fixlint cold with `--jobs 1` and with `--jobs 2`, and fixlint
  cold on every 4th, every 2nd and every one of its files, named on the command line, to see
  whether the cost per file stays flat as the number of files grows.

**Wall time** is from starting the process to its exit. **CPU time** is user plus system time of
the process and of every process it waited for (fixlint's workers), from `wait4`. **Peak memory**
is the highest sum of the resident memory of the process and all its descendants, read from
`/proc` every 10 ms; memory pages that worker processes share are counted once per process, so
the sum errs on the high side, and a peak shorter than 10 ms can be missed.
**files/s** is the suite's `.py` files divided by the wall time.

fixlint's signing key for the cache is kept under the work folder, so the bench leaves your own
cache alone. The tools run from bytecode, as installed packages do: `PYTHONDONTWRITEBYTECODE` is
taken out of their environment, and the check run before the measures writes fixlint's `.pyc`
files.

## Latest results

"""


def write_docs(document: str) -> None:
    suites = "\n".join(
        f"| {s.label} | {'wheel for this Python' if s.wheel else 'sdist'} | `{s.linted}` |" for s in SUITES
    )
    peers = ", ".join(f"`{pin}`" for pin in PEERS)
    DOCS_PAGE.write_text(INTRO.format(suites=suites, peers=peers) + document, encoding="utf-8")


# ---- putting it together ----------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/fixlint-bench"),
                        help="where downloads, suites and the peers live (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions (default: %(default)s)")
    parser.add_argument("--repeat-slow", type=int, default=1,
                        help="repetitions that also run flake8 (default: %(default)s)")
    parser.add_argument("--suites", default=",".join(s.name for s in SUITES),
                        help="comma-separated, from: %(default)s")
    parser.add_argument("--write-docs", action="store_true", help=f"also write {DOCS_PAGE.name} in docs/")
    args = parser.parse_args()
    if args.repeat < 1 or args.repeat_slow < 1:
        parser.error("--repeat and --repeat-slow must be at least 1")
    return args


def chosen_suites(names: str) -> list[Suite]:
    known = {suite.name: suite for suite in SUITES} | {"sklearn": SUITES[2]}
    unknown = [name for name in names.split(",") if name not in known]
    if unknown:
        sys.exit(f"unknown suites {unknown}; choose from {', '.join(known)}")
    return [known[name] for name in names.split(",")]


def prepare(args: argparse.Namespace) -> tuple[list[Tree], Tools]:
    """Downloads, unpacked suites and the peers' environment, each made only when missing."""
    work = args.work.absolute()
    downloads = work / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    trees = [survey(suite, unpack(suite, download(suite, downloads), work))
             for suite in chosen_suites(args.suites)]
    peers = make_peers(work) / "bin"
    # Every tool runs as installed: from bytecode. PYTHONDONTWRITEBYTECODE (set in some
    # sandboxes) would have each run compile fixlint's modules again (0.1 s) while ruff is a
    # binary and pip compiled flake8's; the check before the measures writes fixlint's.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["XDG_CACHE_HOME"] = str(work / "xdg-cache")
    tools = Tools((sys.executable, "-m", "fixlint"), str(peers / "ruff"), str(peers / "flake8"), env)
    return trees, tools


def main() -> None:
    # Stopped with SIGTERM, the bench still restores the touched file and stops the tool it runs.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit("bench stopped"))
    args = parse_args()
    trees, tools = prepare(args)
    reports = check_tools_once(trees, tools)
    results = measure_all(trees, tools, reports, args.repeat, args.repeat_slow)
    document = report(trees, results, reports, tools, args, (time.perf_counter() - STARTED) / 60)
    print(document, end="")
    if args.write_docs:
        write_docs(document)
        log(f"wrote {DOCS_PAGE}")


if __name__ == "__main__":
    main()
