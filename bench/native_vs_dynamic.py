"""The native plugin from a Pulumi YAML program next to the dynamic provider from a Python program, same shape.

Both programs declare the same `count` SIP trunks with three numbers each (workload.py), generated into a
temporary project: `Pulumi.yaml` with `phonecfg:index:PhoneConfig` resources (runtime yaml, the plugin
`pulumi-resource-phonecfg` found next to this Python), or `__main__.py` with the dynamic `PhoneConfig`
(runtime python). On one emulator per contender, each CLI operation is timed (wall clock) and its API requests
counted at the emulator:

* up (create), a no-op preview, a preview and an up of a one-number change (one number's description on the
  first trunk; the lines `pulumi preview --diff` prints for it are counted too), destroy;
* taking over a config made out of band: YAML `pulumi import --skip-preview` (Read by id, code generated; without
  `--skip-preview` the import previews first and reads the config twice), then an `up` with
  the generated code pasted into the program; the dynamic provider cannot be imported, so its "import" row is the
  `up` of the program with the config added under `adopt_existing=True`, then another `up`.

    python bench/native_vs_dynamic.py                 # N = 1 and 10
    python bench/native_vs_dynamic.py --sizes 1,100 --json /tmp/native.json

It measures and prints; nothing asserts a time.
"""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import workload
import yaml
from run import PULUMI_BIN, PulumiProject

from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

STACK = "bench"
IMPORTED = "bench-imported"
PLUGIN = "pulumi-resource-phonecfg"


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def camel_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {camel(k): camel_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel_keys(v) for v in value]
    return value


def resource_name(config_name: str) -> str:
    return camel(config_name.replace("-", "_"))


def specs(count: int, changed: bool) -> list[dict[str, Any]]:
    configs = workload.desired_configs(count)
    if changed:
        configs[0]["phone_numbers"][0]["description"] = "one number changed"
    return configs


class Contender:
    """One language's project: its program written from the specs, the CLI run in it, each operation measured."""

    def __init__(self, language: str, root: Path, emulator: RunningEmulator) -> None:
        self.language = language
        self.emulator = emulator
        self.project = PulumiProject(root, parallel=None)
        for leftover in self.project.dir.iterdir():  # run.PulumiProject copies the dynamic bench program
            if leftover.is_file():
                leftover.unlink()
        self.extra: dict[str, Any] = {}  # resources added to the program after an import (YAML)
        self.rows: list[dict[str, Any]] = []

    def write(self, count: int, *, changed: bool = False, adopt: dict[str, Any] | None = None) -> None:
        configs = specs(count, changed) + ([adopt] if adopt else [])
        if self.language == "yaml":
            resources = {
                resource_name(c["name"]): {"type": "phonecfg:index:PhoneConfig", "properties": camel_keys(c)}
                for c in configs
            }
            program = {"name": "phonecfg-bench-yaml", "runtime": "yaml", "resources": {**resources, **self.extra}}
            (self.project.dir / "Pulumi.yaml").write_text(yaml.safe_dump(program, sort_keys=False))
        else:
            (self.project.dir / "Pulumi.yaml").write_text("name: phonecfg-bench-dynamic\nruntime: python\n")
            (self.project.dir / "__main__.py").write_text(
                "import json\nfrom pulumi_phonecfg import PhoneConfig\n"
                f"for spec in json.loads({json.dumps(json.dumps(configs))}):\n"
                "    PhoneConfig(spec['name'], **spec)\n"
            )

    def measure(self, op: str, *args: str) -> subprocess.CompletedProcess[str]:
        self.emulator.clear_requests()
        started = time.perf_counter()
        done = self.project.run(*args)
        seconds = time.perf_counter() - started
        requests = Counter(e["method"] for e in self.emulator.api_requests())
        self.rows.append({"language": self.language, "op": op, "seconds": round(seconds, 2), "requests": requests})
        return done


def console_config(emulator: RunningEmulator) -> str:
    """A trunk made out of band (as in the console), with one number."""
    api = emulator.api()
    made = api.post("/v1/channels/phone", json={"name": IMPORTED, "security": {"secure_trunking": True}})
    made.raise_for_status()
    config_id = str(made.json()["id"])
    api.patch(
        f"/v1/channels/phone/{config_id}", json={"phone_numbers": [{"phone_number": "+14155559990"}]}
    ).raise_for_status()
    return config_id


def run_contender(language: str, count: int) -> list[dict[str, Any]]:
    with (
        tempfile.TemporaryDirectory(prefix=f"phonecfg-native-bench-{language}-") as tmp,
        start_emulator(token=f"bench-token-{secrets.token_hex(8)}", extra_args=["--log-level", "warning"]) as emu,
    ):
        contender = Contender(language, Path(tmp), emu)
        contender.write(count)
        contender.project.run("stack", "init", STACK)
        contender.project.run("config", "set", "phonecfg:url", emu.url)
        contender.project.run("config", "set", "--secret", "phonecfg:token", emu.token)

        contender.measure("up (create)", "up", "--yes", "--skip-preview")
        contender.measure("preview (no-op)", "preview", "--expect-no-changes")
        contender.write(count, changed=True)
        diff = contender.measure("preview --diff (one number)", "preview", "--diff")
        contender.rows[-1]["diff_lines"] = len(diff.stdout.splitlines())
        contender.measure("up (one number)", "up", "--yes", "--skip-preview")

        config_id = console_config(emu)
        adopted = {"name": IMPORTED, "phone_numbers": [{"phone_number": "+14155559990"}]}
        if language == "yaml":
            generated = Path(tmp) / "imported.yaml"
            name = resource_name(IMPORTED)
            contender.measure(
                "import",
                "import",
                "phonecfg:index:PhoneConfig",
                name,
                config_id,
                "--yes",
                "--skip-preview",
                "--out",
                str(generated),
            )
            resource = yaml.safe_load(generated.read_text())["resources"][name]
            resource.setdefault("options", {})["protect"] = False  # so that destroy can remove it
            contender.extra = {name: resource}
            contender.write(count, changed=True)
            contender.measure("up after import", "up", "--yes", "--skip-preview")
        else:
            contender.write(count, changed=True, adopt={**adopted, "adopt_existing": True})
            contender.measure("import", "up", "--yes", "--skip-preview")  # adoption is the dynamic provider's import
            contender.measure("up after import", "up", "--yes", "--skip-preview")
        contender.measure("destroy", "destroy", "--yes", "--skip-preview")
        for row in contender.rows:
            row["n"] = count
        return contender.rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| N | operation | YAML + native: s | requests | Python + dynamic: s | requests |",
        "|---|---|---|---|---|---|",
    ]
    keyed = {(r["n"], r["op"], r["language"]): r for r in rows}
    for n, op in dict.fromkeys((r["n"], r["op"]) for r in rows):
        cells = [str(n), op]
        for language in ("yaml", "python"):
            row = keyed.get((n, op, language))
            if row is None:
                cells += ["", ""]
                continue
            shown = ", ".join(f"{k} {v}" for k, v in sorted(row["requests"].items())) or "none"
            if "diff_lines" in row:
                shown += f" ({row['diff_lines']} lines printed)"
            cells += [f"{row['seconds']:.2f}", shown]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10", help="comma-separated N values (default 1,10)")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = parser.parse_args(argv)
    missing = [p for p in (PULUMI_BIN / "pulumi", PULUMI_BIN / "pulumi-language-yaml") if not p.exists()]
    if not (Path(sys.executable).parent / PLUGIN).exists():
        missing.append(Path(sys.executable).parent / PLUGIN)
    if missing:
        parser.error(f"missing {', '.join(map(str, missing))}: run `make venv cli`")
    rows: list[dict[str, Any]] = []
    for count in [int(s) for s in args.sizes.split(",") if s.strip()]:
        for language in ("yaml", "python"):
            rows += run_contender(language, count)
            print(f"done: N={count} {language}", file=sys.stderr, flush=True)
    print(table(rows))
    if args.json is not None:
        plain = [{**r, "requests": dict(r["requests"])} for r in rows]
        args.json.write_text(json.dumps(plain, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
