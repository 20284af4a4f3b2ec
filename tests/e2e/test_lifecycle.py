"""End-to-end lifecycle of PhoneConfig resources: real Pulumi CLI (Automation API, inline program) + emulator.

The tests are consecutive steps on one stack and one emulator (module scope): plan, create, idempotence,
secrets, in-place update, replace, drift (edit and delete), destroy. A failed step fails the later ones.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_phonecfg import PhoneConfig
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .helpers import (
    PHONE_PATH,
    SECRET_SIG_KEY,
    Transcript,
    changes,
    exported_state,
    get_config,
    inline_stack,
    list_configs,
    provider_config,
    read_tree,
    run_operation,
    scan_for_secrets,
    state_resources,
    summarize,
)

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

PROJECT = "phonecfg-e2e"
STACK = "lifecycle"

# Credentials used by this module: random per run, so finding one anywhere is never a coincidence.
SIP_PASSWORD = f"e2e-sip-password-{secrets.token_hex(8)}"
GENESYS_API_KEY = f"e2e-genesys-api-key-{secrets.token_hex(8)}"
GENESYS_CLIENT_SECRET_RAW = f"e2e-genesys-client-secret-{secrets.token_hex(8)}"
GENESYS_CLIENT_SECRET = base64.b64encode(GENESYS_CLIENT_SECRET_RAW.encode()).decode()
FLIP_API_KEY = f"e2e-flip-api-key-{secrets.token_hex(8)}"
FLIP_CLIENT_SECRET_RAW = f"e2e-flip-client-secret-{secrets.token_hex(8)}"
FLIP_CLIENT_SECRET = base64.b64encode(FLIP_CLIENT_SECRET_RAW.encode()).decode()

AGENT_A, AGENT_B, ENV_DRAFT, ENV_LIVE = (str(uuid.uuid4()) for _ in range(4))
SIP_NUMBERS = ["+14155550110", "+14155550111", "+12025550112"]

# What the inline program declares; the steps change it between operations.
DESIRED: dict[str, Any] = {
    "sip_description": "E2E SIP trunk",
    "flip_provider": "sip_trunk",
}


def program() -> None:
    cfg = pulumi.Config()
    sip = PhoneConfig(
        "sip",
        name="E2E SIP trunk",
        service_provider="sip_trunk",
        description=DESIRED["sip_description"],
        # A plain (non-secret) password on purpose: the resource must make `security` secret by itself.
        security={"secure_trunking": True, "authentication": True, "username": "e2e-user", "password": SIP_PASSWORD},
        custom_invite_headers=[{"name": "X-E2E-One"}, {"name": "X-E2E-Two"}],
        error_handling={
            "fallback_sip_uri": "sip:fallback@pbx.example.com",
            "transfer_failure": {"reply_message": "Transfer failed.", "disconnect_call": True},
            "call_failure": {"reply_message": "Call failed."},
        },
        phone_numbers=[
            {"phone_number": SIP_NUMBERS[0], "description": "routed", "agent_id": AGENT_A, "environment_id": ENV_LIVE},
            {"phone_number": SIP_NUMBERS[1], "description": "second"},
            {"phone_number": SIP_NUMBERS[2]},
        ],
    )
    genesys = PhoneConfig(
        "genesys",
        name="E2E Genesys",
        service_provider="genesys_audio_connector",
        description="E2E Genesys Audio Connector",
        security={
            "api_key": cfg.require_secret("genesysApiKey"),
            "client_secret": cfg.require_secret("genesysClientSecret"),
        },
        attached_environments=[
            {"agent_id": AGENT_A, "environment_id": ENV_LIVE},
            {"agent_id": AGENT_B, "environment_id": ENV_DRAFT},
        ],
    )
    if DESIRED["flip_provider"] == "sip_trunk":
        flip = PhoneConfig("flip", name="E2E flip", service_provider="sip_trunk", description="starts as SIP")
    else:
        flip = PhoneConfig(
            "flip",
            name="E2E flip",
            service_provider="genesys_audio_connector",
            description="now Genesys",
            security={"api_key": FLIP_API_KEY, "client_secret": FLIP_CLIENT_SECRET},
        )
    pulumi.export("sip_id", sip.id)
    pulumi.export("genesys_id", genesys.id)
    pulumi.export("flip_id", flip.id)
    pulumi.export("tenant_id", sip.tenant_id)
    pulumi.export("sip_security", sip.security)


class Lifecycle:
    def __init__(self, stack: auto.Stack, emulator: RunningEmulator, base: Path) -> None:
        self.stack = stack
        self.emulator = emulator
        self.base = base
        self.transcript = Transcript()
        self.outputs: dict[str, Any] = {}

    @property
    def secrets(self) -> dict[str, str]:
        return {
            "SIP password": SIP_PASSWORD,
            "Genesys api_key": GENESYS_API_KEY,
            "Genesys client_secret": GENESYS_CLIENT_SECRET,
            "Genesys client_secret (decoded)": GENESYS_CLIENT_SECRET_RAW,
            "flip api_key": FLIP_API_KEY,
            "flip client_secret": FLIP_CLIENT_SECRET,
            "flip client_secret (decoded)": FLIP_CLIENT_SECRET_RAW,
            "emulator token": self.emulator.token,
        }

    def run(self, operation: str, **kwargs: Any) -> Any:
        """stack.<operation>(...) with the transcript attached; the emulator's request log starts empty."""
        result = run_operation(self.stack, self.emulator, self.transcript, operation, **kwargs)
        if operation == "up":
            self.outputs = {k: v.value for k, v in result.outputs.items()}
        return result

    def assert_no_plaintext_secrets(self) -> None:
        found = scan_for_secrets(
            self.secrets,
            {
                "exported state": exported_state(self.stack),
                "backend files": read_tree(self.base / "state"),
                "workspace files": read_tree(Path(self.stack.workspace.work_dir)),
                "engine output/events": self.transcript.text(),
            },
        )
        assert not found, f"plaintext credentials leaked: {found}"


@pytest.fixture(scope="module")
def life(pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[Lifecycle]:
    stack = inline_stack(e2e_dir, pulumi_command, PROJECT, STACK, program)
    stack.set_all_config(
        {
            **provider_config(emulator),
            "genesysApiKey": auto.ConfigValue(GENESYS_API_KEY, secret=True),
            "genesysClientSecret": auto.ConfigValue(GENESYS_CLIENT_SECRET, secret=True),
        }
    )
    lifecycle = Lifecycle(stack, emulator, e2e_dir)
    yield lifecycle
    # Best-effort cleanup when a step failed half-way (the destroy step normally did this already).
    try:
        if state_resources(stack):
            stack.destroy()
    except auto.CommandError:  # includes StackNotFoundError: the destroy step already removed the stack
        pass


def test_preview_plans_creates_and_calls_no_api(life: Lifecycle) -> None:
    preview = life.run("preview")
    assert changes(preview.change_summary) == {"create": 4}  # three configs + the stack itself
    assert life.transcript.steps("create") == ["flip", "genesys", "sip"]
    assert life.emulator.api_requests() == [], summarize(life.emulator.api_requests())
    assert list_configs(life.emulator) == []


def test_up_creates_the_configs(life: Lifecycle) -> None:
    up = life.run("up")
    assert up.summary.result == "succeeded"
    assert changes(up.summary.resource_changes) == {"create": 4}
    ids = {name: life.outputs[f"{name}_id"] for name in ("sip", "genesys", "flip")}
    assert all(ids.values()) and len(set(ids.values())) == 3, ids

    by_id = {c["id"]: c for c in list_configs(life.emulator)}
    assert sorted(by_id) == sorted(ids.values())
    sip = get_config(life.emulator, ids["sip"])
    assert sip is not None
    assert sip["name"] == "E2E SIP trunk"
    assert sip["service_provider"] == "sip_trunk"
    assert sip["description"] == "E2E SIP trunk"
    assert [h["name"] for h in sip["custom_invite_headers"]] == ["X-E2E-One", "X-E2E-Two"]
    assert sip["error_handling"]["fallback_sip_uri"] == "sip:fallback@pbx.example.com"
    assert sorted(n["phone_number"] for n in sip["phone_numbers"]) == sorted(SIP_NUMBERS)
    routed = next(n for n in sip["phone_numbers"] if n["phone_number"] == SIP_NUMBERS[0])
    assert (routed["agent_id"], routed["environment_id"]) == (AGENT_A, ENV_LIVE)
    genesys = get_config(life.emulator, ids["genesys"])
    assert genesys is not None
    assert genesys["service_provider"] == "genesys_audio_connector"
    attached = {(a["agent_id"], a["environment_id"]) for a in genesys["attached_environments"]}
    assert attached == {(AGENT_A, ENV_LIVE), (AGENT_B, ENV_DRAFT)}
    assert life.outputs["tenant_id"] == sip["tenant_id"]
    assert up.outputs["sip_security"].secret, "security must be a secret output"


def test_second_preview_is_clean_and_calls_no_api(life: Lifecycle) -> None:
    preview = life.run("preview", expect_no_changes=True)
    assert changes(preview.change_summary) == {}
    assert life.emulator.api_requests() == [], summarize(life.emulator.api_requests())


def test_refresh_without_drift_changes_nothing(life: Lifecycle) -> None:
    refresh = life.run("refresh", expect_no_changes=True)
    assert changes(refresh.summary.resource_changes) == {}
    writes = [r for r in life.emulator.api_requests() if r["method"] != "GET"]
    assert writes == [], summarize(writes)


def test_state_and_output_hold_no_plaintext_secrets(life: Lifecycle) -> None:
    life.assert_no_plaintext_secrets()
    for name in ("sip", "genesys"):
        resource = state_resources(life.stack)[name]
        for section in ("inputs", "outputs"):
            security = resource[section]["security"]
            assert isinstance(security, dict) and SECRET_SIG_KEY in security, f"{name} {section}.security not secret"
        # Even decrypted, the security *output* holds fingerprints, never the credentials themselves.
        decrypted = resource["outputs"]["security"]["plaintext"]
        leaked = [label for label, secret in life.secrets.items() if secret in decrypted]
        assert not leaked, f"{name} outputs.security holds {leaked}: {decrypted}"


def test_in_place_change_is_one_patch_with_only_that_field(life: Lifecycle) -> None:
    sip_id = life.outputs["sip_id"]
    DESIRED["sip_description"] = "E2E SIP trunk, edited"
    up = life.run("up")
    assert changes(up.summary.resource_changes) == {"update": 1}
    assert life.transcript.steps("update") == ["sip"]
    requests = life.emulator.api_requests()
    assert len(requests) == 1, summarize(requests)
    (patch,) = requests
    assert patch["method"] == "PATCH" and patch["path"] == f"{PHONE_PATH}/{sip_id}", summarize(requests)
    assert patch["body"] == {"description": "E2E SIP trunk, edited"}
    assert life.outputs["sip_id"] == sip_id
    sip = get_config(life.emulator, sip_id)
    assert sip is not None and sip["description"] == "E2E SIP trunk, edited"


def test_service_provider_change_replaces(life: Lifecycle) -> None:
    old_id = life.outputs["flip_id"]
    DESIRED["flip_provider"] = "genesys_audio_connector"
    up = life.run("up")
    assert changes(up.summary.resource_changes) == {"replace": 1}
    assert life.transcript.steps("replace") == ["flip"]
    new_id = life.outputs["flip_id"]
    assert new_id and new_id != old_id
    assert get_config(life.emulator, old_id) is None
    flip = get_config(life.emulator, new_id)
    assert flip is not None and flip["service_provider"] == "genesys_audio_connector"
    assert flip["name"] == "E2E flip"


def test_out_of_band_edit_is_drift_that_refresh_shows_and_up_repairs(life: Lifecycle) -> None:
    sip_id = life.outputs["sip_id"]
    life.emulator.api().patch(f"{PHONE_PATH}/{sip_id}", json={"description": "edited out of band"}).raise_for_status()

    refresh = life.run("refresh")
    assert changes(refresh.summary.resource_changes) == {"update": 1}
    assert state_resources(life.stack)["sip"]["outputs"]["description"] == "edited out of band"

    up = life.run("up")
    assert changes(up.summary.resource_changes) == {"update": 1}
    sip = get_config(life.emulator, sip_id)
    assert sip is not None and sip["description"] == DESIRED["sip_description"]
    life.run("preview", expect_no_changes=True)


def test_out_of_band_delete_is_dropped_by_refresh_and_recreated_by_up(life: Lifecycle) -> None:
    old_id = life.outputs["genesys_id"]
    life.emulator.api().delete(f"{PHONE_PATH}/{old_id}").raise_for_status()

    refresh = life.run("refresh")
    assert changes(refresh.summary.resource_changes) == {"delete": 1}
    assert "genesys" not in state_resources(life.stack)

    up = life.run("up")
    assert changes(up.summary.resource_changes) == {"create": 1}
    assert life.transcript.steps("create") == ["genesys"]
    new_id = life.outputs["genesys_id"]
    assert new_id and new_id != old_id
    genesys = get_config(life.emulator, new_id)
    assert genesys is not None and genesys["name"] == "E2E Genesys"
    assert len(genesys["attached_environments"]) == 2


def test_no_plaintext_secrets_after_every_operation(life: Lifecycle) -> None:
    life.assert_no_plaintext_secrets()


def test_destroy_leaves_nothing_behind(life: Lifecycle) -> None:
    destroy = life.run("destroy")
    assert destroy.summary.result == "succeeded"
    assert changes(destroy.summary.resource_changes) == {"delete": 4}
    assert list_configs(life.emulator) == []
    assert state_resources(life.stack) == {}
    life.assert_no_plaintext_secrets()
    life.stack.workspace.remove_stack(STACK)
