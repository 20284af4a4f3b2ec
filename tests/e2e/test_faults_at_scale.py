"""`pulumi up` of 50 configs against an emulator that faults 20% of requests: all created once, nothing leaked.

The emulator injects, at random (seeded), 429 with Retry-After, 502, 503, 504, dropped connections and
commit-then-500 into a fifth of the API requests. The provider must retry what is safe to retry and adopt
what a failed POST created, so the run succeeds with exactly 50 configs and no duplicate. Figures are printed
(`pytest -s`) for the record; the assertions do not depend on timing.
"""

from __future__ import annotations

import base64
import collections
import json
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_phonecfg import PhoneConfig
from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

from .helpers import (
    Transcript,
    changes,
    exported_state,
    provider_config,
    read_tree,
    scan_for_secrets,
    workspace_options,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SIP_CONFIGS = 40
GENESYS_CONFIGS = 10
FAULT_RATE = "0.2"
PASSWORD = f"e2e-scale-password-{secrets.token_hex(8)}"
API_KEY = f"e2e-scale-api-key-{secrets.token_hex(8)}"
CLIENT_SECRET = base64.b64encode(f"e2e-scale-client-secret-{secrets.token_hex(8)}".encode()).decode()
AGENT = "0b7c6f0e-1d1e-4c55-9a8e-3f2b7f1a0001"
ENVIRONMENT = "0b7c6f0e-1d1e-4c55-9a8e-3f2b7f1a0002"


def program() -> None:
    for index in range(SIP_CONFIGS):
        PhoneConfig(
            f"sip-{index:02d}",
            name=f"Scale SIP trunk {index:02d}",
            security={"authentication": True, "username": f"trunk-{index}", "password": PASSWORD},
            custom_invite_headers=[{"name": "X-Scale"}],
            phone_numbers=[
                {"phone_number": f"+1415555{100 + index:04d}"},
                {"phone_number": f"+1202555{100 + index:04d}"},
            ],
        )
    for index in range(GENESYS_CONFIGS):
        PhoneConfig(
            f"genesys-{index:02d}",
            name=f"Scale Genesys {index:02d}",
            service_provider="genesys_audio_connector",
            security={"api_key": API_KEY, "client_secret": CLIENT_SECRET},
            attached_environments=[{"agent_id": AGENT, "environment_id": ENVIRONMENT}],
        )


@pytest.fixture(scope="module")
def faulty_api(pulumi_command: auto.PulumiCommand) -> Iterator[RunningEmulator]:
    with start_emulator(extra_args=["--fault-rate", FAULT_RATE, "--fault-seed", "20261126"]) as running:
        yield running


def live_configs(api: RunningEmulator) -> list[dict[str, Any]]:
    """Read through our own client: it retries the faults the emulator throws at this read too."""
    client = PhoneApiClient(ProviderSettings(url=api.url, token=api.token, max_retries=20))
    try:
        return client.list_configs()
    finally:
        client.close()


def test_fifty_configs_through_twenty_percent_faults(
    faulty_api: RunningEmulator, pulumi_command: auto.PulumiCommand, e2e_dir: Path
) -> None:
    stack = auto.create_or_select_stack(
        "scale",
        project_name="phonecfg-e2e-scale",
        program=program,
        opts=workspace_options(e2e_dir, pulumi_command),
    )
    stack.set_all_config(
        {
            **provider_config(faulty_api),
            "phonecfg:maxRetries": auto.ConfigValue("10"),
        }
    )
    transcript = Transcript()
    started = time.monotonic()
    up = stack.up(**transcript.kwargs())
    up_seconds = time.monotonic() - started
    assert up.summary.result == "succeeded"
    assert changes(up.summary.resource_changes) == {"create": SIP_CONFIGS + GENESYS_CONFIGS + 1}  # + the stack
    assert len(transcript.steps("create")) == SIP_CONFIGS + GENESYS_CONFIGS

    configs = live_configs(faulty_api)
    names = collections.Counter(c["name"] for c in configs)
    assert len(configs) == SIP_CONFIGS + GENESYS_CONFIGS
    assert [name for name, count in names.items() if count > 1] == []  # no duplicates
    assert sum(len(c["phone_numbers"]) for c in configs) == 2 * SIP_CONFIGS

    requests = faulty_api.api_requests()
    faulted = collections.Counter(r["fault"] for r in requests if r.get("fault"))
    assert sum(faulted.values()) >= len(requests) // 10  # the faults really happened
    print(
        "\nfault run:",
        json.dumps(
            {
                "configs": len(configs),
                "api_requests": len(requests),
                "faulted": sum(faulted.values()),
                "faulted_by_kind": dict(faulted),
                "up_seconds": round(up_seconds, 1),
            }
        ),
    )

    assert stack.preview(expect_no_changes=True).change_summary.get("same") == SIP_CONFIGS + GENESYS_CONFIGS + 1

    leaks = scan_for_secrets(
        {
            "sip password": PASSWORD,
            "genesys api_key": API_KEY,
            "client_secret": CLIENT_SECRET,
            "token": faulty_api.token,
        },
        {
            "exported state": exported_state(stack),
            "engine output": transcript.text(),
            "state files": read_tree(e2e_dir / "state"),
        },
    )
    assert leaks == []

    destroy = stack.destroy(**transcript.kwargs())
    assert destroy.summary.result == "succeeded"
    assert live_configs(faulty_api) == []
