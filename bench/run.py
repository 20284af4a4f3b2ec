"""`make bench`: the provider through the real Pulumi engine against the emulator, next to the imperative baseline.

For each N (configs with three numbers each) and each latency (the injected one and none), on a fresh emulator:

* Pulumi (the CLI, an on-disk project run by the Python language host, file backend): `up` (create), no-op
  `preview`, no-op `up`, `up` changing one field on every config, `refresh`, `destroy`; `up`/`refresh`/`destroy`
  run with `--skip-preview` so each line measures one engine operation;
* the imperative baseline (baseline.py) on the same emulator: apply (create), apply again, apply the change,
  read everything, delete everything.

Then the shapes teams have (workload.py: one trunk with 1,000 numbers inline, 20 trunks x 50 numbers, 200
`PhoneNumber` resources on one trunk, 50 `AgentAttachment` resources on one Genesys config), through Pulumi only, at
the injected latency: `up`, no-op `preview`, `up` changing one number (or one attachment's label), `refresh`,
`destroy`.

Per operation: wall time, API requests counted at the emulator by method, peak RSS (VmHWM, sampled every 50 ms)
of the engine, the language host's program process and the dynamic-provider process; per N: state bytes per
resource and the size of `__provider`. Results go to `<out>/benchmarks.json`, the tables into the marked section
of `<out>/benchmarks.md` and plots to `<out>/bench-*.png` (report.py).

    python bench/run.py                      # N = 1, 10, 100 at 50 ms and at 0 ms, then the shapes at 50 ms
    python bench/run.py --large              # adds N = 500 and 1,000
    python bench/run.py --sizes "" --append  # the shapes only, keeping the other rows
    python bench/run.py --sizes "" --shapes attachments:50 --append  # one shape only, keeping the other rows
    python bench/run.py --sizes 1 --latency-ms 5 --shapes inline:2,numbers:2 --out /tmp/x   # smoke run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import baseline
import report

from pulumi_phonecfg.dynamic.resources import ATTACHMENT_TYPE_TOKEN, NUMBER_TYPE_TOKEN, TYPE_TOKEN
from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

PROGRAM = Path(__file__).resolve().parent / "program"
# The desired state lives with the Pulumi program that deploys it (bench/program/workload.py); the baseline
# applies the same one.
sys.path.insert(0, str(PROGRAM))
import workload  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PULUMI_BIN = REPO / ".pulumi" / "bin"
STACK = "bench"
DEFAULT_SIZES = (1, 10, 100)
LARGE_SIZES = (500, 1000)


# ---------------------------------------------------------------------------------------------- peak RSS


def _role(cmdline: str) -> str | None:
    if "-m pulumi.dynamic" in cmdline:
        return "provider"
    if "pulumi-language-python-exec" in cmdline:
        return "program"
    return None


class PeakRss:
    """Samples a process tree: the engine (root) and its provider/program children.

    Per role: the peak resident set (VmHWM) and the CPU seconds used (utime + stime, last sample of each process),
    which shows where the time of an operation goes.
    """

    def __init__(self, root_pid: int, interval: float = 0.05) -> None:
        self.root_pid = root_pid
        self.interval = interval
        self.peak_kib: dict[str, int] = {}
        self._cpu_ticks: dict[int, tuple[str, int]] = {}
        self._roles: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        parents: dict[int, int] = {}
        ticks: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    stat = Path(entry.path, "stat").read_text()
                except OSError:
                    continue
                fields = stat.rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
                ticks[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime + stime
        tree = {self.root_pid}
        grew = True
        while grew:
            found = {pid for pid, ppid in parents.items() if ppid in tree} - tree
            tree |= found
            grew = bool(found)
        for pid in tree:
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            # A process keeps its first role: an exiting one has an empty cmdline.
            role = self._roles.get(pid) or ("engine" if pid == self.root_pid else _role(cmdline))
            if role is not None:
                self._roles[pid] = role
            hwm = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
            if role is None:
                role = "other"  # the language host, the provider shim
            else:
                self.peak_kib[role] = max(hwm, self.peak_kib.get(role, 0))
            self._cpu_ticks[pid] = (role, ticks.get(pid, 0))

    def cpu_seconds(self) -> dict[str, float]:
        per_tick = os.sysconf("SC_CLK_TCK")
        used: Counter[str] = Counter()
        for role, count in self._cpu_ticks.values():
            used[role] += count
        return {role: round(count / per_tick, 2) for role, count in sorted(used.items())}


# ---------------------------------------------------------------------------------------------- Pulumi


def makefile_env() -> dict[str, str]:
    """The offline Pulumi environment as the Makefile defines it (`make -s env`), the one place it is written."""
    outer_make = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")  # when this runs under `make bench`
    printed = subprocess.run(
        ["make", "-s", "--no-print-directory", "-C", str(REPO), "env"],
        env={k: v for k, v in os.environ.items() if k not in outer_make},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    exports: dict[str, str] = {}
    for line in printed.splitlines():
        words = shlex.split(line)  # `export NAME=value`, the value quoted by bash's printf %q
        if len(words) == 2 and words[0] == "export" and "=" in words[1]:
            name, value = words[1].split("=", 1)
            exports[name] = value
    if "PULUMI_BACKEND_URL" not in exports:
        raise RuntimeError(f"`make -s env` printed no Pulumi environment: {printed!r}")
    return exports


class PulumiProject:
    """The bench program in a temporary directory with its own file backend and PULUMI_HOME."""

    def __init__(self, root: Path, parallel: int | None, skip_checkpoints: bool = False) -> None:
        self.dir = root / "project"
        shutil.copytree(PROGRAM, self.dir, ignore=shutil.ignore_patterns("__pycache__"))
        (root / "state").mkdir()
        (root / "home").mkdir()
        self.log = root / "pulumi.log"
        self.parallel = parallel
        pulumi_env = makefile_env()
        self.env = {
            **os.environ,
            **pulumi_env,
            # The Makefile's environment with this run's own state, home and interpreter (the one running the bench).
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{pulumi_env.get('PATH', os.environ.get('PATH', ''))}",
            "PULUMI_HOME": str(root / "home"),
            "PULUMI_BACKEND_URL": f"file://{root / 'state'}",
            "PULUMI_PYTHON_CMD": sys.executable,
            # Provider settings come from the stack config only, never from the caller's shell.
            "PHONECFG_URL": "",
            "PHONECFG_TOKEN": "",
        }
        if skip_checkpoints:
            # The engine then writes state once per operation instead of after every step (not crash-safe).
            self.env["PULUMI_SKIP_CHECKPOINTS"] = "true"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["pulumi", *args, "--non-interactive"],
            cwd=self.dir,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        with self.log.open("a") as log:
            log.write(f"$ pulumi {' '.join(args)}\n{done.stdout}{done.stderr}\n")
        if done.returncode != 0:
            output = done.stdout[-3000:] + done.stderr
            raise RuntimeError(f"pulumi {' '.join(args)} failed ({done.returncode}):\n{output}")
        return done

    def measured(self, *args: str) -> tuple[float, PeakRss]:
        """Runs one CLI operation; returns its wall time and what was sampled of its processes."""
        parallel = ["--parallel", str(self.parallel)] if self.parallel and args[0] != "preview" else []
        command = ["pulumi", *args, *parallel, "--non-interactive", "--suppress-progress", "--suppress-outputs"]
        with self.log.open("a") as log:
            log.write(f"$ {' '.join(command)}\n")
            log.flush()
            started = time.perf_counter()
            process = subprocess.Popen(command, cwd=self.dir, env=self.env, stdout=log, stderr=subprocess.STDOUT)
            with PeakRss(process.pid) as rss:
                code = process.wait()
            elapsed = time.perf_counter() - started
        if code != 0:
            tail = self.log.read_text()[-3000:]
            raise RuntimeError(f"pulumi {' '.join(args)} failed ({code}):\n{tail}")
        return elapsed, rss

    def setup(self, url: str, token: str, count: int, provider_threads: int | None, shape: str | None = None) -> None:
        self.run("stack", "init", STACK)
        if provider_threads is not None:
            self.run("config", "set", "phonecfg:providerThreads", str(provider_threads))
        self.run("config", "set", "phonecfg:url", url)
        self.run("config", "set", "--secret", "phonecfg:token", token)
        self.run("config", "set", "bench:count", str(count))
        self.run("config", "set", "bench:revision", "1")
        if shape is not None:
            self.run("config", "set", "bench:shape", shape)

    def state_sizes(self) -> dict[str, float]:
        exported = json.loads(self.run("stack", "export").stdout)
        types = (TYPE_TOKEN, NUMBER_TYPE_TOKEN, ATTACHMENT_TYPE_TOKEN)
        resources = [r for r in exported["deployment"].get("resources", []) if r.get("type") in types]
        if not resources:
            return {"resources": 0}
        sizes = [len(json.dumps(r, separators=(",", ":"))) for r in resources]
        provider = resources[0].get("outputs", {}).get("__provider", "")
        return {
            "resources": len(resources),
            "state_bytes_per_resource": sum(sizes) / len(sizes),
            "provider_pickle_bytes": len(provider) if isinstance(provider, str) else len(json.dumps(provider)),
        }


# ---------------------------------------------------------------------------------------------- runs


def requests_by_method(emulator: RunningEmulator) -> dict[str, int]:
    counted = Counter(e["method"] for e in emulator.api_requests())
    return dict(sorted(counted.items()))


@contextmanager
def emulator_with_latency(latency_ms: float) -> Iterator[RunningEmulator]:
    token = f"bench-emulator-token-{secrets.token_hex(8)}"
    with start_emulator(token=token, extra_args=["--log-level", "warning"]) as emulator:
        if latency_ms > 0:
            # One rule matching every request: each one waits `latency_ms` before it is processed.
            emulator.set_faults([{"kind": "delay", "delay": latency_ms / 1000}])
        yield emulator


def run_pulumi(
    emulator: RunningEmulator,
    count: int,
    latency_ms: float,
    parallel: int | None,
    provider_threads: int | None,
    skip_checkpoints: bool = False,
) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="phonecfg-bench-") as tmp:
        project = PulumiProject(Path(tmp), parallel, skip_checkpoints)
        project.setup(emulator.url, emulator.token, count, provider_threads)

        def next_revision() -> None:
            project.run("config", "set", "bench:revision", "2")

        steps: list[tuple[str, Sequence[str], Callable[[], None] | None]] = [
            ("up", ("up", "--yes", "--skip-preview"), None),
            ("preview", ("preview", "--expect-no-changes"), None),
            ("up-noop", ("up", "--yes", "--skip-preview", "--expect-no-changes"), None),
            ("up-change", ("up", "--yes", "--skip-preview"), next_revision),
            ("refresh", ("refresh", "--yes", "--skip-preview", "--expect-no-changes"), None),
            ("destroy", ("destroy", "--yes", "--skip-preview"), None),
        ]
        sizes: dict[str, float] = {}

        def state_after_up() -> None:
            sizes.update(project.state_sizes())
            if sizes["resources"] != count:
                raise RuntimeError(f"state holds {sizes['resources']} configs after up, expected {count}")

        label = {"n": count, "latency_ms": latency_ms}
        rows = measure_steps(project, emulator, steps, label, after_up=state_after_up)
        for row in rows:
            row.update({k: v for k, v in sizes.items() if k != "resources"})
        left = len(baseline.list_configs(emulator.api()))
        if left:
            raise RuntimeError(f"{left} configs left on the emulator after destroy")
    return rows


def measure_steps(
    project: PulumiProject,
    emulator: RunningEmulator,
    steps: Sequence[tuple[str, Sequence[str], Callable[[], None] | None]],
    label: dict[str, Any],
    after_up: Callable[[], None] | None = None,
) -> list[dict[str, Any]]:
    """Runs each step as one measured CLI operation; one row per step, `label` merged into it."""
    rows: list[dict[str, Any]] = []
    for op, args, before in steps:
        if before is not None:
            before()
        emulator.clear_requests()
        seconds, rss = project.measured(*args)
        row = {"tool": "pulumi", **label, "op": op, "seconds": round(seconds, 3)}
        row["requests"] = requests_by_method(emulator)
        row["rss_mib"] = {role: round(kib / 1024, 1) for role, kib in sorted(rss.peak_kib.items())}
        row["cpu_seconds"] = rss.cpu_seconds()
        rows.append(row)
        print(report.progress_line(row), flush=True)
        if op == "up" and after_up is not None:
            after_up()
    return rows


def run_shape(
    emulator: RunningEmulator,
    shape: str,
    latency_ms: float,
    parallel: int | None,
    provider_threads: int | None,
    skip_checkpoints: bool = False,
) -> list[dict[str, Any]]:
    """One shape (workload.shape_resources) through Pulumi: up, no-op preview, one-member change, refresh, destroy."""
    trunks, inline, numbers, attachments = workload.shape_counts(shape)
    resources = numbers + attachments
    label = {"shape": shape, "n": inline + resources, "latency_ms": latency_ms}
    label.update({"trunks": trunks, "inline_numbers": inline, "number_resources": numbers})
    label["attachment_resources"] = attachments
    with tempfile.TemporaryDirectory(prefix="phonecfg-bench-") as tmp:
        project = PulumiProject(Path(tmp), parallel, skip_checkpoints)
        project.setup(emulator.url, emulator.token, 0, provider_threads, shape=shape)
        sizes: dict[str, float] = {}

        def next_revision() -> None:
            project.run("config", "set", "bench:revision", "2")

        def state_after_up() -> None:
            sizes.update(project.state_sizes())
            if sizes["resources"] != trunks + resources:
                raise RuntimeError(f"state holds {sizes['resources']} resources after up of {shape}")

        steps: list[tuple[str, Sequence[str], Callable[[], None] | None]] = [
            ("up", ("up", "--yes", "--skip-preview"), None),
            ("preview", ("preview", "--expect-no-changes"), None),
            ("up-change", ("up", "--yes", "--skip-preview"), next_revision),
            # Not --expect-no-changes: a config's outputs list the numbers (attachments) its PhoneNumbers
            # (AgentAttachments) added since its last read (the outputs show what the API returns), so this refresh
            # updates them in the state.
            ("refresh", ("refresh", "--yes", "--skip-preview"), None),
            ("destroy", ("destroy", "--yes", "--skip-preview"), None),
        ]
        rows = measure_steps(project, emulator, steps, label, after_up=state_after_up)
        for row in rows:
            row.update({k: v for k, v in sizes.items() if k != "resources"})
        left = len(baseline.list_configs(emulator.api()))
        if left:
            raise RuntimeError(f"{left} configs left on the emulator after destroy")
    return rows


def run_baseline(emulator: RunningEmulator, count: int, latency_ms: float) -> list[dict[str, Any]]:
    names = [workload.config_name(i) for i in range(count)]
    steps: list[tuple[str, Callable[[Any], None]]] = [
        ("up", lambda http: baseline.apply(http, workload.desired_configs(count, 1))),
        ("up-noop", lambda http: baseline.apply(http, workload.desired_configs(count, 1))),
        ("up-change", lambda http: baseline.apply(http, workload.desired_configs(count, 2))),
        ("refresh", baseline.refresh),
        ("destroy", lambda http: baseline.destroy(http, names)),
    ]
    rows = []
    with baseline.client(emulator.url, emulator.token) as http:
        for op, step in steps:
            emulator.clear_requests()
            started = time.perf_counter()
            step(http)
            seconds = time.perf_counter() - started
            row = {"tool": "baseline", "n": count, "latency_ms": latency_ms, "op": op, "seconds": round(seconds, 3)}
            row["requests"] = requests_by_method(emulator)
            rows.append(row)
            print(report.progress_line(row), flush=True)
    return rows


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.processor())
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = next(line.split()[1] for line in meminfo if line.startswith("MemTotal"))

    def output(*command: str) -> str:
        return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False).stdout.strip()

    commit = output("git", "rev-parse", "--short", "HEAD")
    dirty = output("git", "status", "--porcelain", "--untracked-files=no", "--", "pulumi_phonecfg", "bench")
    pulumi = output(str(PULUMI_BIN / "pulumi"), "version")
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "pulumi": pulumi,
        "commit": commit + ("+local changes" if dirty else ""),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-ms", type=float, default=50.0, help="injected latency per request (default 50)")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated N values")
    parser.add_argument("--large", action="store_true", help=f"also N = {', '.join(map(str, LARGE_SIZES))}")
    parser.add_argument("--parallel", type=int, default=None, help="pulumi --parallel (default: the CLI's)")
    parser.add_argument(
        "--provider-threads", type=int, default=None, help="phonecfg:providerThreads (default: the provider's, 32)"
    )
    parser.add_argument(
        "--skip-checkpoints", action="store_true", help="PULUMI_SKIP_CHECKPOINTS=true (measures the state writes)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the imperative baseline")
    parser.add_argument(
        "--shapes",
        default=",".join(workload.DEFAULT_SHAPES),
        help="comma-separated shapes (inline:<n>, trunks:<t>x<n>, numbers:<n>, attachments:<n>), at --latency-ms; "
        '"" for none',
    )
    parser.add_argument(
        "--append", action="store_true", help="keep the rows of other N already in <out>/benchmarks.json"
    )
    parser.add_argument("--no-plots", action="store_true", help="skip the PNG plots (no matplotlib needed)")
    parser.add_argument("--out", type=Path, default=REPO / "docs", help="where results, tables and plots go")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop emulators and remove temp dirs on SIGTERM

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    for shape in shapes:
        workload.shape_counts(shape)  # an unknown shape fails here, before anything runs
    if args.large:
        sizes += [s for s in LARGE_SIZES if s not in sizes]
    latencies = [args.latency_ms, 0.0] if args.latency_ms > 0 else [0.0]
    if not (PULUMI_BIN / "pulumi").exists():
        parser.error(f"no Pulumi CLI in {PULUMI_BIN}: run `make cli`")

    results: dict[str, Any] = {
        "machine": machine(),
        "settings": {
            "latency_ms": args.latency_ms,
            "sizes": sizes,
            "shapes": shapes,
            "parallel": args.parallel,
            "provider_threads": args.provider_threads,
            "skip_checkpoints": args.skip_checkpoints,
            "baseline": not args.no_baseline,
        },
        "rows": [],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    data = args.out / "benchmarks.json"
    if args.append and data.exists():
        earlier = json.loads(data.read_text())
        results["rows"] = [
            r for r in earlier["rows"] if (r["shape"] not in shapes if "shape" in r else r["n"] not in sizes)
        ]
        results["earlier_runs"] = [*earlier.get("earlier_runs", []), {**earlier["machine"], **earlier["settings"]}]
    for count in sizes:
        for latency in latencies:
            with emulator_with_latency(latency) as emulator:
                results["rows"] += run_pulumi(
                    emulator, count, latency, args.parallel, args.provider_threads, args.skip_checkpoints
                )
                if not args.no_baseline:
                    emulator.reset()
                    results["rows"] += run_baseline(emulator, count, latency)
            results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
            data.write_text(json.dumps(results, indent=1) + "\n")  # after every step: a long run keeps what it has
            report.write(results, args.out, plots=not args.no_plots)
    for shape in shapes:
        with emulator_with_latency(args.latency_ms) as emulator:
            results["rows"] += run_shape(
                emulator, shape, args.latency_ms, args.parallel, args.provider_threads, args.skip_checkpoints
            )
        results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        data.write_text(json.dumps(results, indent=1) + "\n")
        report.write(results, args.out, plots=not args.no_plots)
    print(f"results: {data}, tables: {args.out / 'benchmarks.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
