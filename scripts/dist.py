"""Write the artifacts a user installs into one directory (`make dist`: dist/), each the way its ecosystem expects.

- `pulumi_phonecfg-<v>-py3-none-any.whl` and `pulumi_phonecfg-<v>.tar.gz`: the package (dynamic provider, the
  native plugin's console script `pulumi-resource-phonecfg`, the `phonecfg` command); the wheel is built from
  the sdist, as pip would.
- `pulumi_phonecfg_native-<v>-py3-none-any.whl`: the generated Python SDK (sdk/python).
- `pulumi-phonecfg-<v>.tgz`: the npm package of the generated Node.js SDK as Pulumi providers publish it: the
  compiled `bin/` with its package.json at the root. The generated package.json compiles on install
  (`postinstall: node ./scripts/postinstall.js`, meant for a local copy of sdk/nodejs) and depends on TypeScript
  4.x; `bin/` holds no scripts/, so installing it as generated fails. Here tsc compiles at packaging time and the
  published package.json keeps only the runtime dependency (@pulumi/pulumi), no install script. sdk/ itself is
  never written to (`make sdk-check` holds it to the generator's output).

The Go SDK is consumed as a module from the repository (module path and tag: docs/installation-configuration.md).
The TypeScript toolchain (tsc, @types/node, @pulumi/pulumi's declarations) is examples/typescript's, pinned by its
package-lock.json and installed once per user by scripts/typescript-deps.sh.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
NODE_SDK, PYTHON_SDK = REPO / "sdk" / "nodejs", REPO / "sdk" / "python"
# What npm, tsc, pip and setuptools leave in an SDK directory used in place: never packaged.
BUILD_PRODUCTS = ("node_modules", "bin", "*.egg-info", "__pycache__", "build", "dist")


@dataclass(frozen=True)
class Artifacts:
    wheel: Path
    sdist: Path
    python_sdk_wheel: Path
    npm_package: Path


def say(message: str) -> None:
    print(f"[dist] {message}", file=sys.stderr, flush=True)


def run(command: Sequence[str | Path], cwd: Path | None = None) -> str:
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"[dist] failed: {' '.join(str(c) for c in command)} (exit {done.returncode})")
    return done.stdout


def only(directory: Path, pattern: str) -> Path:
    found = sorted(directory.glob(pattern))
    if len(found) != 1:
        raise SystemExit(f"[dist] expected one {pattern} in {directory}, found {[p.name for p in found]}")
    return found[0]


def build_package(out: Path) -> tuple[Path, Path]:
    """The sdist of the repository, then the wheel from it (`python -m build`)."""
    run([sys.executable, "-m", "build", "--outdir", out, REPO])
    return only(out, "pulumi_phonecfg-*.whl"), only(out, "pulumi_phonecfg-*.tar.gz")


def build_python_sdk(out: Path, work: Path) -> Path:
    """The wheel of sdk/python, built from a clean copy (setuptools writes build/ and *.egg-info beside setup.py)."""
    source = work / "python-sdk"
    shutil.copytree(PYTHON_SDK, source, ignore=shutil.ignore_patterns(*BUILD_PRODUCTS))
    run([sys.executable, "-m", "build", "--wheel", "--outdir", out, source])
    return only(out, "pulumi_phonecfg_native-*.whl")


def published_package_json(generated: dict[str, Any], typescript_version: str) -> dict[str, Any]:
    """The generated package.json as it is published from bin/: entry points relative to bin/, no install
    script, and only @pulumi/pulumi at run time (the compiler and node's types were needed to build it only)."""
    published = {key: value for key, value in generated.items() if key != "scripts"}
    dependencies: dict[str, str] = dict(generated.get("dependencies", {}))
    build_only = {name: dependencies.pop(name) for name in ("typescript", "@types/node") if name in dependencies}
    build_only["typescript"] = typescript_version
    published |= {"main": "index.js", "types": "index.d.ts", "dependencies": dependencies,
                  "devDependencies": build_only}  # fmt: skip
    return published


def build_npm_package(out: Path, work: Path) -> Path:
    """sdk/nodejs compiled by tsc into bin/, packed from bin/ with the published package.json (`npm pack`)."""
    modules = Path(run([REPO / "scripts" / "typescript-deps.sh"], cwd=REPO).strip())
    source = work / "nodejs-sdk"
    shutil.copytree(NODE_SDK, source, ignore=shutil.ignore_patterns(*BUILD_PRODUCTS))
    (source / "node_modules").symlink_to(modules)
    # As the generated postinstall compiles: with `--types` for each @types dependency.
    run([modules / ".bin" / "tsc", "--types", "node"], cwd=source)
    typescript_version = json.loads((modules / "typescript" / "package.json").read_text())["version"]
    generated = json.loads((source / "package.json").read_text())
    package = published_package_json(generated, typescript_version)
    (source / "bin" / "package.json").write_text(json.dumps(package, indent=4) + "\n")
    shutil.copy2(source / "README.md", source / "bin" / "README.md")
    run(["npm", "pack", "--quiet", "--pack-destination", out], cwd=source / "bin")
    return only(out, f"{package['name']}-{package['version']}.tgz")


def build_all(out: Path) -> Artifacts:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="phonecfg-dist-") as temp:
        work = Path(temp)
        wheel, sdist = build_package(out)
        python_sdk_wheel = build_python_sdk(out, work)
        npm_package = build_npm_package(out, work)
    return Artifacts(wheel, sdist, python_sdk_wheel, npm_package)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--outdir", type=Path, default=REPO / "dist", help="where the artifacts go (default dist/)")
    out: Path = parser.parse_args().outdir.resolve()
    if out.exists():
        shutil.rmtree(out)  # a stale artifact of another version must not be mistaken for this build's
    artifacts = build_all(out)
    for artifact in (artifacts.wheel, artifacts.sdist, artifacts.python_sdk_wheel, artifacts.npm_package):
        say(f"{os.path.relpath(artifact)} ({artifact.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
