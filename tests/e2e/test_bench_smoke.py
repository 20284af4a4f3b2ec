"""`make bench` runs end to end at N = 1 and at small versions of the shapes (a smoke test: it asserts what was
counted, never how long it took)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pulumi import automation as auto

from .helpers import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_bench_runs_at_one_config(pulumi_command: auto.PulumiCommand, tmp_path: Path) -> None:
    plots = importlib.util.find_spec("matplotlib") is not None  # the `bench` extra; `make bench` installs it
    command = [sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "1", "--latency-ms", "5"]
    command += ["--shapes", "inline:2,trunks:2x2,numbers:2,attachments:2"]
    command += ["--out", str(tmp_path)] + ([] if plots else ["--no-plots"])
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]

    rows = json.loads((tmp_path / "benchmarks.json").read_text())["rows"]
    plain = [r for r in rows if "shape" not in r]
    requests = {(r["tool"], r["latency_ms"], r["op"]): r["requests"] for r in plain}
    for latency in (5.0, 0.0):
        assert requests[("pulumi", latency, "up")] == {"GET": 1, "POST": 1, "PATCH": 1}  # name check, create, numbers
        assert requests[("pulumi", latency, "preview")] == {}
        assert requests[("pulumi", latency, "up-noop")] == {}
        assert requests[("pulumi", latency, "up-change")] == {"PATCH": 1}
        assert requests[("pulumi", latency, "refresh")] == {"GET": 1}
        assert requests[("pulumi", latency, "destroy")] == {"DELETE": 1}
        assert requests[("baseline", latency, "up")] == {"GET": 1, "POST": 4}
        assert requests[("baseline", latency, "destroy")] == {"GET": 1, "DELETE": 1}
    provider_rss = [r["rss_mib"]["provider"] for r in plain if r["tool"] == "pulumi"]
    assert len(provider_rss) == 12 and all(mib > 0 for mib in provider_rss)

    shapes = {(r["shape"], r["op"]): r["requests"] for r in rows if "shape" in r}
    # One trunk, its two numbers inline: the list travels with the trunk (POST + one PATCH), a one-number change
    # sends the list once more.
    assert shapes[("inline:2", "up")] == {"GET": 1, "POST": 1, "PATCH": 1}
    assert shapes[("trunks:2x2", "up")] == {"GET": 1, "POST": 2, "PATCH": 2}  # one list per provider process
    # A trunk without numbers and two PhoneNumbers: the list of the trunk's create, then one POST per number.
    assert shapes[("numbers:2", "up")] == {"GET": 1, "POST": 3}
    for shape, resources in (("inline:2", 1), ("trunks:2x2", 2), ("numbers:2", 3)):
        assert shapes[(shape, "preview")] == {}
        assert shapes[(shape, "up-change")] == {"PATCH": 1}
        assert shapes[(shape, "refresh")] == {"GET": resources}
        assert shapes[(shape, "destroy")] == {"DELETE": resources}
    # A Genesys config without attachments and two AgentAttachments: the config's create (its name check, its POST),
    # then a read-modify-write of the list per pair and the GET that verifies it (no other writer here, so no
    # rewrite); a relabel is one more; a detach each, then the config's DELETE.
    assert shapes[("attachments:2", "up")] == {"GET": 5, "POST": 1, "PATCH": 2}
    assert shapes[("attachments:2", "preview")] == {}
    assert shapes[("attachments:2", "up-change")] == {"GET": 2, "PATCH": 1}
    assert shapes[("attachments:2", "refresh")] == {"GET": 3}
    assert shapes[("attachments:2", "destroy")] == {"GET": 4, "PATCH": 2, "DELETE": 1}
    assert all(r["provider_pickle_bytes"] > 0 for r in rows if r["tool"] == "pulumi")

    report = (tmp_path / "benchmarks.md").read_text()
    assert "| 1 | up (create) |" in report and "<!-- bench:end -->" in report
    assert "| 1 trunk + 2 PhoneNumber resources | one-number change |" in report
    assert "| 1 Genesys config + 2 AgentAttachment resources | one-label change |" in report
    if plots:
        assert (tmp_path / "bench-shapes.png").stat().st_size > 0
        assert (tmp_path / "bench-time.png").stat().st_size > 0
        assert (tmp_path / "bench-requests.png").stat().st_size > 0
