"""Fixtures for the end-to-end tests: the real Pulumi CLI (Automation API) against a real emulator process.

The CLI comes from `<repo>/.pulumi/bin` (`make cli`, i.e. `scripts/install-pulumi.sh`). Without it the tests skip
locally and *fail* when `CI` is set, so CI can never go green without having run them.

Every test module gets its own temp directory holding a file backend, a `PULUMI_HOME` and the workspace, so the
repository's `.pulumi/state` and the user's `~/.pulumi` are never touched.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto
from support import in_ci

from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

from .helpers import CLI_FILES, PULUMI_ROOT, venv
from .postgres import PostgresStartError, RunningPostgres, start_postgres, stop_postgres

_FAILED_STEP = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "e2e_sequence: the module's tests are consecutive steps on one stack; a failed step fails the later ones",
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if report.failed and item.get_closest_marker("e2e_sequence") is not None and item.parent is not None:
        item.parent.stash.setdefault(_FAILED_STEP, item.name)
    return report


@pytest.fixture(autouse=True)
def _stop_after_failed_step(request: pytest.FixtureRequest) -> None:
    """In an `e2e_sequence` module, once a step failed the later steps fail at once (they depend on it)."""
    node = request.node
    if node.get_closest_marker("e2e_sequence") is None or node.parent is None:
        return
    failed = node.parent.stash.get(_FAILED_STEP, None)
    if failed is not None:
        pytest.fail(f"not run: the earlier step {failed} failed and this step depends on it", pytrace=False)


@pytest.fixture(scope="session")
def pulumi_command() -> auto.PulumiCommand:
    """The CLI in <repo>/.pulumi/bin: skipped when absent, except under CI where that is a failure."""
    missing = [f for f in CLI_FILES if not os.access(PULUMI_ROOT / "bin" / f, os.R_OK)]
    if missing:
        message = (
            f"Pulumi CLI incomplete in {PULUMI_ROOT / 'bin'} (missing {', '.join(missing)}); "
            "run `make cli` (scripts/install-pulumi.sh)"
        )
        if in_ci():
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    return auto.PulumiCommand(root=str(PULUMI_ROOT))


@pytest.fixture(scope="session")
def native_yaml(pulumi_command: auto.PulumiCommand) -> auto.PulumiCommand:
    """The CLI plus what a YAML program on the native provider needs: the YAML language host (`make cli`) and the
    `pulumi-resource-phonecfg` console script (`make venv`). Skipped when absent, except under CI (a failure)."""
    wanted = {
        PULUMI_ROOT / "bin" / "pulumi-language-yaml": "run `make cli`",
        venv() / "bin" / "pulumi-resource-phonecfg": "run `make venv`",
    }
    missing = [f"{path} ({fix})" for path, fix in wanted.items() if not os.access(path, os.X_OK)]
    if missing:
        message = f"missing for Pulumi YAML on the native provider: {', '.join(missing)}"
        if in_ci():
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    return pulumi_command


@pytest.fixture(scope="module")
def e2e_dir(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A fresh directory per test module: file backend, PULUMI_HOME and workspace live here."""
    return tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture(scope="module")
def emulator(pulumi_command: auto.PulumiCommand) -> Iterator[RunningEmulator]:
    """One emulator subprocess per test module (depends on the CLI so a missing CLI skips before it starts)."""
    with start_emulator(token=f"e2e-emulator-token-{secrets.token_hex(12)}") as running:
        yield running


@pytest.fixture(scope="session")
def postgres(pulumi_command: auto.PulumiCommand) -> Iterator[RunningPostgres]:
    """One throwaway PostgreSQL server for the session (scripts/postgres.sh: installed with apt-get when missing).

    Skipped when it cannot be installed or started, except under CI where that is a failure. Its directory is
    made with mkdtemp in the system temp dir, which the server's unprivileged user can reach (pytest's is 0700).
    """
    directory = Path(tempfile.mkdtemp(prefix="phonecfg-postgres-"))
    try:
        running = start_postgres(directory)
    except PostgresStartError as error:
        stop_postgres(directory)  # whatever a failed start left
        if in_ci():
            pytest.fail(f"CI=true and {error}", pytrace=False)
        pytest.skip(str(error))
    try:
        yield running
    finally:
        stop_postgres(running.directory)
