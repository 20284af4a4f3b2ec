"""Build the wheel and the sdist, install the wheel into a clean venv and deploy a small program with it.

Run through make (`make wheel-check`), which provides the offline Pulumi environment. Catches what the editable
install of the tests cannot: a module or package-data file missing from the wheel, a dependency the code needs
but the wheel does not declare, the emulator's web stack leaking back into the provider's dependencies.

Steps: `python -m build` (the sdist, then the wheel from the sdist); every module of the source tree in the
wheel; `pip install <wheel>` into a new venv (no editable install, no dev extras); in that venv, fastapi and
uvicorn absent and `phonecfg emulator` answering with its one-line hint; the native plugin
`pulumi-resource-phonecfg` serving (its port printed); then, against an emulator process,
a program using that venv: `pulumi preview`, `pulumi up`, `pulumi preview --expect-no-changes`,
`pulumi destroy`. Prints each step and its duration; exits non-zero at the first failure.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

# The emulator runs from the development install (`make` runs this script with .venv's python), not the wheel.
from pulumi_phonecfg.emulator.testing import start_emulator

REPO = Path(__file__).resolve().parents[1]

STACK = "wheel-check"
PROGRAM = """\
import pulumi
from pulumi_phonecfg import PhoneConfig, PhoneNumberArgs, SecurityArgs

trunk = PhoneConfig(
    "wheel-check-trunk",
    name="Wheel check trunk",
    security=SecurityArgs(authentication=True, username="wheel", password=pulumi.Config().require_secret("pw")),
    phone_numbers=[PhoneNumberArgs(phone_number="+14155550199")],
)
pulumi.export("config_id", trunk.id)
"""
FAKE_PASSWORD = "fake-sip-password-wheel-check"


def say(message: str) -> None:
    print(f"[wheel-check] {message}", flush=True)


@contextmanager
def step(name: str) -> Iterator[None]:
    started = time.monotonic()
    say(f"{name} ...")
    yield
    say(f"{name}: ok ({time.monotonic() - started:.1f} s)")


def run(command: Sequence[str | Path], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [str(c) for c in command], env=env, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"[wheel-check] failed: {' '.join(str(c) for c in command)} (exit {result.returncode})")
    return result.stdout


def check_wheel_contents(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        packaged = set(archive.namelist())
    sources = {p.relative_to(REPO).as_posix() for p in (REPO / "pulumi_phonecfg").rglob("*.py")}
    missing = sorted(sources - packaged) + [f for f in ("pulumi_phonecfg/py.typed",) if f not in packaged]
    if missing:
        raise SystemExit(f"[wheel-check] the wheel lacks {', '.join(missing)}")
    say(f"the wheel holds all {len(sources)} modules and py.typed")


def main() -> int:
    python = os.environ.get("PYTHON", "python3.11")
    # Nothing of the development setup may leak into the clean venv or the program: no PYTHONPATH, no
    # interpreter override, no provider settings from the shell.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PULUMI_PYTHON_CMD", "PYTHONPATH", "VIRTUAL_ENV") and not key.startswith("PHONECFG_")
    }
    with tempfile.TemporaryDirectory(prefix="phonecfg-wheel-check-") as temp:
        root = Path(temp)
        dist, venv, program = root / "dist", root / "venv", root / "program"

        with step("build the sdist and, from it, the wheel"):
            run([sys.executable, "-m", "build", "--outdir", dist, REPO])
        wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
        if len(wheels) != 1 or len(sdists) != 1:
            raise SystemExit(f"[wheel-check] expected one wheel and one sdist in {dist}, got {os.listdir(dist)}")
        check_wheel_contents(wheels[0])

        with step("install the wheel into a clean venv"):
            run([python, "-m", "venv", venv], env=env)
            run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheels[0]], env=env)
        run(
            [
                venv / "bin" / "python",
                "-c",
                "import importlib.util as u, sys; "
                "leaked = [m for m in ('fastapi', 'uvicorn') if u.find_spec(m)]; "
                "sys.exit(f'the wheel pulled in {leaked}: they belong to the emulator extra' if leaked else 0)",
            ],
            env=env,
        )
        hint = subprocess.run([venv / "bin" / "phonecfg", "emulator"], capture_output=True, text=True, env=env)
        if hint.returncode != 2 or "pulumi_phonecfg[emulator]" not in hint.stderr or hint.stderr.count("\n") != 1:
            raise SystemExit(f"[wheel-check] `phonecfg emulator` without the extra said: {hint.stderr!r}")
        say("lean: no fastapi/uvicorn; `phonecfg emulator` says how to install them")
        with step("the native plugin starts from the wheel"):
            plugin = subprocess.Popen(
                [venv / "bin" / "pulumi-resource-phonecfg"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            assert plugin.stdout is not None
            port = plugin.stdout.readline().strip()
            plugin.terminate()
            _, stderr = plugin.communicate(timeout=10)
            if not port.isdigit():
                raise SystemExit(f"[wheel-check] pulumi-resource-phonecfg printed {port!r}, not its port: {stderr!r}")

        program.mkdir()
        (program / "__main__.py").write_text(PROGRAM)
        (program / "Pulumi.yaml").write_text(
            textwrap.dedent(
                f"""\
                name: wheel-check
                runtime:
                  name: python
                  options:
                    virtualenv: {venv}
                """
            )
        )
        (root / "state").mkdir()
        env |= {"PULUMI_HOME": str(root / "home"), "PULUMI_BACKEND_URL": f"file://{root / 'state'}"}

        token = f"fake-wheel-check-token-{secrets.token_hex(8)}"
        with start_emulator(token=token) as emulator:

            def pulumi(*args: str) -> str:
                return run(["pulumi", *args, "--stack", STACK, "--non-interactive"], env=env, cwd=program)

            run(["pulumi", "stack", "init", STACK, "--secrets-provider", "passphrase"], env=env, cwd=program)
            pulumi("config", "set", "phonecfg:url", emulator.url)
            pulumi("config", "set", "--secret", "phonecfg:token", token)
            pulumi("config", "set", "--secret", "pw", FAKE_PASSWORD)
            with step("pulumi preview"):
                preview = pulumi("preview")
            if "+ 2 to create" not in preview:
                raise SystemExit(f"[wheel-check] unexpected preview:\n{preview}")
            with step("pulumi up"):
                pulumi("up", "--yes", "--skip-preview")
            phones = emulator.api().get("/v1/channels/phone").json()["phones"]
            if [p["name"] for p in phones] != ["Wheel check trunk"]:
                raise SystemExit(f"[wheel-check] the emulator holds {phones}")
            with step("pulumi preview --expect-no-changes"):
                pulumi("preview", "--expect-no-changes")
            with step("pulumi destroy"):
                pulumi("destroy", "--yes", "--skip-preview")
            if emulator.api().get("/v1/channels/phone").json()["phones"]:
                raise SystemExit("[wheel-check] destroy left configs behind")
            state = run(["pulumi", "stack", "export", "--stack", STACK], env=env, cwd=program)
            if FAKE_PASSWORD in state or token in state:
                raise SystemExit("[wheel-check] a secret reached the exported state in plaintext")
    say("passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
