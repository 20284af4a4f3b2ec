"""The policy pack (`policy/`) through the real `pulumi` command and Automation API, against a real emulator.

YAML (native provider, on-disk project): a program breaking every policy, previewed with every policy mandatory
(non-zero exit, each policy's violation named in camelCase in the streamed JSON events, 0 API requests), then `up`
with the pack's default (advisory) levels (warnings, the config is created); a clean program passing with every
policy mandatory. Python (dynamic provider, inline program): the same violations in snake_case, mandatory stops the
preview with 0 requests, advisory lets `up` proceed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_phonecfg import PhoneConfig
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .cli_project import CliProject, provider_settings
from .helpers import REPO, inline_stack, list_configs, provider_config

pytestmark = pytest.mark.e2e

PACK = REPO / "policy" / "run"
POLICIES = (
    "phonecfg-sip-secure-trunking",
    "phonecfg-sip-authentication",
    "phonecfg-number-routed",
    "phonecfg-trunk-error-handling",
    "phonecfg-no-adopt-existing",
    "phonecfg-config-name-pattern",
    "phonecfg-one-owner",
)
PATTERN = "prod-.*"

BAD_YAML = """\
name: phonecfg-policy-yaml
runtime: yaml
resources:
  trunk:
    type: phonecfg:index:PhoneConfig
    properties:
      name: Support trunk
      adoptExisting: true
      security: {secureTrunking: false, authentication: false}
      phoneNumbers: [{phoneNumber: "+14155550100"}]
  line:
    type: phonecfg:index:PhoneNumber
    properties:
      configId: ${trunk.id}
      phoneNumber: "+1 415 555 0100"
"""
# What `up` with advisory levels deploys: the same trunk, without the second owner of its number.
ADVISORY_YAML = BAD_YAML.split("  line:")[0]
CLEAN_YAML = """\
name: phonecfg-policy-yaml
runtime: yaml
variables:
  care:
    fn::invoke:
      function: phonecfg:index:getAgent
      arguments: {name: customer-care}
resources:
  trunk:
    type: phonecfg:index:PhoneConfig
    properties:
      name: prod-support
      security: {secureTrunking: true, authentication: true, username: prod, password: not-a-real-password}
      errorHandling:
        fallbackSipUri: sip:fallback@pbx.example.com
        transferFailure: {replyMessage: Sorry, disconnectCall: true}
      phoneNumbers:
        - {phoneNumber: "+14155550110", agentId: "${care.agentId}", environmentId: "${care.environmentId}"}
"""
YAML_MESSAGES = {
    "phonecfg-sip-secure-trunking": "PhoneConfig 'trunk': security.secureTrunking is not true",
    "phonecfg-sip-authentication": "PhoneConfig 'trunk': security.authentication is not true",
    "phonecfg-number-routed": "PhoneConfig 'trunk': phoneNumbers[0].agentId is not set (+14155550100)",
    "phonecfg-trunk-error-handling": "PhoneConfig 'trunk': errorHandling.fallbackSipUri is not set",
    "phonecfg-no-adopt-existing": "PhoneConfig 'trunk': adoptExisting is true",
    "phonecfg-config-name-pattern": f"PhoneConfig 'trunk': name 'Support trunk' does not match the pattern '{PATTERN}'",
    "phonecfg-one-owner": "PhoneNumber 'line': phoneNumber +14155550100 is also in phoneNumbers of PhoneConfig 'trunk'",
}


def pack_config(directory: Path, level: str) -> Path:
    """Every policy at `level`, the name pattern set."""
    config: dict[str, Any] = {name: level for name in POLICIES}
    config["phonecfg-config-name-pattern"] = {"enforcementLevel": level, "pattern": PATTERN}
    path = directory / f"policy-{level}.json"
    path.write_text(json.dumps(config))
    return path


def policy_events(stdout: str) -> dict[str, list[tuple[str, str]]]:
    """Streamed JSON events (`PULUMI_ENABLE_STREAMING_JSON_PREVIEW`): policy name -> [(level, message)]."""
    found: dict[str, list[tuple[str, str]]] = {}
    for line in stdout.splitlines():
        event = json.loads(line) if line.startswith("{") else {}
        policy = event.get("policyEvent")
        if policy:
            found.setdefault(policy["policyName"], []).append((policy["enforcementLevel"], policy["message"]))
    return found


@pytest.fixture(scope="module")
def yaml_project(native_yaml: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> CliProject:
    work = e2e_dir / "yaml"
    work.mkdir()
    (work / "Pulumi.yaml").write_text(BAD_YAML)
    made = CliProject(work, e2e_dir, "e2e")
    made.env["PULUMI_ENABLE_STREAMING_JSON_PREVIEW"] = "true"
    made.init(*provider_settings(emulator))
    return made


def test_yaml_mandatory_violations_stop_the_preview_before_any_request(
    yaml_project: CliProject, emulator: RunningEmulator, e2e_dir: Path
) -> None:
    emulator.clear_requests()
    done = yaml_project.run(
        "preview",
        "--json",
        "--policy-pack",
        str(PACK),
        "--policy-pack-config",
        str(pack_config(e2e_dir, "mandatory")),
        check=False,
    )
    assert done.returncode != 0, done.stdout
    events = policy_events(done.stdout)
    for policy, expected in YAML_MESSAGES.items():
        assert any(level == "mandatory" and expected in message for level, message in events.get(policy, [])), (
            policy,
            events.get(policy),
        )
    assert emulator.api_requests() == [], "a preview stopped by policy sends nothing"


def test_yaml_advisory_violations_warn_and_up_proceeds(yaml_project: CliProject, emulator: RunningEmulator) -> None:
    (yaml_project.directory / "Pulumi.yaml").write_text(ADVISORY_YAML)
    done = yaml_project.run("up", "--yes", "--policy-pack", str(PACK))
    assert "[advisory]  phonecfg-sip-secure-trunking" in done.stdout, done.stdout
    assert [c["name"] for c in list_configs(emulator)] == ["Support trunk"]


def test_yaml_clean_program_passes_every_mandatory_policy(
    yaml_project: CliProject, emulator: RunningEmulator, e2e_dir: Path
) -> None:
    (yaml_project.directory / "Pulumi.yaml").write_text(CLEAN_YAML)
    emulator.clear_requests()
    done = yaml_project.run(
        "preview", "--json", "--policy-pack", str(PACK), "--policy-pack-config", str(pack_config(e2e_dir, "mandatory"))
    )
    assert policy_events(done.stdout) == {}


def bad_python_program() -> None:
    trunk = PhoneConfig(
        "trunk",
        name="Support trunk",
        adopt_existing=True,
        security={"secure_trunking": False, "authentication": False},
        phone_numbers=[{"phone_number": "+14155550120"}],
    )
    pulumi.export("id", trunk.id)


PYTHON_MESSAGES = {
    "phonecfg-sip-secure-trunking": "PhoneConfig 'trunk': security.secure_trunking is not true",
    "phonecfg-sip-authentication": "PhoneConfig 'trunk': security.authentication is not true",
    "phonecfg-number-routed": "PhoneConfig 'trunk': phone_numbers[0].agent_id is not set (+14155550120)",
    "phonecfg-trunk-error-handling": "PhoneConfig 'trunk': error_handling.fallback_sip_uri is not set",
    "phonecfg-no-adopt-existing": "PhoneConfig 'trunk': adopt_existing is true",
    "phonecfg-config-name-pattern": f"PhoneConfig 'trunk': name 'Support trunk' does not match the pattern '{PATTERN}'",
}


def test_python_dynamic_mandatory_then_advisory(
    pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path
) -> None:
    base = e2e_dir / "python"
    base.mkdir()
    stack = inline_stack(base, pulumi_command, "phonecfg-policy-python", "e2e", bad_python_program)
    stack.set_all_config(provider_config(emulator))
    events: list[auto.EngineEvent] = []
    emulator.clear_requests()
    with pytest.raises(auto.CommandError):
        stack.preview(
            policy_packs=[str(PACK)],
            policy_pack_configs=[str(pack_config(e2e_dir, "mandatory"))],
            on_event=events.append,
        )
    found = [(e.policy_event.policy_name, e.policy_event.message) for e in events if e.policy_event]
    for policy, expected in PYTHON_MESSAGES.items():
        assert any(name == policy and expected in message for name, message in found), (policy, found)
    assert emulator.api_requests() == [], "a preview stopped by policy sends nothing"

    result = stack.up(policy_packs=[str(PACK)], on_output=lambda _: None)
    assert result.summary.result == "succeeded"
    assert "[advisory]  phonecfg-sip-secure-trunking" in result.stdout, result.stdout
    assert "Support trunk" in [c["name"] for c in list_configs(emulator)]
