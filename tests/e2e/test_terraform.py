"""The Terraform/OpenTofu face end to end: the real `tofu` CLI, the provider as its console script, the emulator.

One working directory, step by step (a failed step fails the later ones): apply a SIP trunk whose numbers are
routed through `data.phonecfg_agent`, a Genesys config with an attachment and a number as its own resource; a
no-op plan; one number changed (one PATCH, a plan naming one element); a credential rotated (one PATCH);
drift made behind the provider's back and found by refresh; bad input refused with the HCL path and no request;
a console-made config imported with `import {}` and `-generate-config-out`, then planned clean; `tofu import`;
destroy. Every credential is searched for in the state, the plans, the outputs and the CLI's trace log.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_phonecfg.emulator.testing import RunningEmulator, start_emulator

from .helpers import PHONE_PATH, scan_for_secrets
from .tofu import TofuDir, require_tofu

pytestmark = [pytest.mark.e2e, pytest.mark.e2e_sequence]

SIP_PASSWORD = "tofu-fake-sip-password-1"
SIP_PASSWORD_ROTATED = "tofu-fake-sip-password-2"
GENESYS_API_KEY = "tofu-fake-genesys-api-key"
GENESYS_CLIENT_SECRET = "dG9mdS1mYWtlLWNsaWVudC1zZWNyZXQ="  # base64 of an obviously fake secret
CONFIG = """
variable "sip_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "genesys_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "genesys_client_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

provider "phonecfg" {}

data "phonecfg_agent" "care" {
  name = "customer-care"
}

data "phonecfg_agent" "billing" {
  name        = "billing"
  environment = "draft"
}

resource "phonecfg_phone_config" "trunk" {
  name        = "Tofu support trunk"
  description = "SIP trunk managed by OpenTofu"
  security = {
    authentication = true
    username       = "tofu-trunk"
    password       = var.sip_password
  }
  custom_invite_headers = [{ name = "X-Customer-Id" }, { name = "X-Queue" }]
  error_handling = {
    fallback_sip_uri = "sip:fallback@example.com"
    transfer_failure = { reply_message = "Sorry, transferring failed.", disconnect_call = true }
  }
  phone_numbers = [
    { phone_number = "+14155550100", description = "%(first_description)s",
      agent_id = data.phonecfg_agent.care.agent_id, environment_id = data.phonecfg_agent.care.environment_id },
    { phone_number = "+14155550101", description = "Second line" },
    { phone_number = "+14155550102", description = "Third line" },
  ]
}

resource "phonecfg_phone_config" "genesys" {
  name             = "Tofu Genesys"
  service_provider = "genesys_audio_connector"
  security = {
    api_key       = var.genesys_api_key
    client_secret = var.genesys_client_secret
  }
}

resource "phonecfg_agent_attachment" "billing" {
  config_id        = phonecfg_phone_config.genesys.id
  agent_id         = data.phonecfg_agent.billing.agent_id
  environment_id   = data.phonecfg_agent.billing.environment_id
  environment_name = "draft"
}

resource "phonecfg_phone_config" "shared" {
  name = "Tofu shared trunk"
}

resource "phonecfg_phone_number" "team_line" {
  config_id      = phonecfg_phone_config.shared.id
  phone_number   = "+14155550199"
  description    = "Owned by this team alone"
}

output "sip_uri" {
  value = phonecfg_phone_config.trunk.sip_uri
}
output "connector_id" {
  value = phonecfg_agent_attachment.billing.connector_id
}
"""


@pytest.fixture(scope="module")
def tofu_emulator() -> Iterator[RunningEmulator]:
    require_tofu()
    with start_emulator(token="tofu-e2e-emulator-token-not-secret") as running:
        yield running


@pytest.fixture(scope="module")
def work(tofu_emulator: RunningEmulator, tmp_path_factory: pytest.TempPathFactory) -> TofuDir:
    directory = TofuDir(tmp_path_factory.mktemp("tofu"), tofu_emulator)
    directory.env_extra.update(
        {
            "TF_VAR_sip_password": SIP_PASSWORD,
            "TF_VAR_genesys_api_key": GENESYS_API_KEY,
            "TF_VAR_genesys_client_secret": GENESYS_CLIENT_SECRET,
        }
    )
    directory.write(CONFIG % {"first_description": "Main line"})
    return directory


def requests(emulator: RunningEmulator) -> list[tuple[str, str]]:
    return [(e["method"], e["path"]) for e in emulator.api_requests()]


def writes(emulator: RunningEmulator) -> list[tuple[str, str]]:
    return [r for r in requests(emulator) if r[0] != "GET"]


def bodies(emulator: RunningEmulator, method: str) -> list[dict[str, Any]]:
    return [e.get("body") or {} for e in emulator.api_requests(method)]


def test_init_and_apply(work: TofuDir, tofu_emulator: RunningEmulator) -> None:
    init = work.run("init")
    assert "phonecfg/phonecfg" in init.output
    tofu_emulator.clear_requests()
    work.apply()
    trunk = work.resource("phonecfg_phone_config.trunk")
    genesys_id = work.resource("phonecfg_phone_config.genesys")["id"]
    shared_id = work.resource("phonecfg_phone_config.shared")["id"]
    # The Pulumi faces' requests: a POST per config, the trunk's numbers in one PATCH after it, the attachment a
    # PATCH of the Genesys config's list, the number its own POST to the shared trunk's numbers.
    assert sorted(writes(tofu_emulator)) == sorted(
        [
            ("POST", PHONE_PATH),
            ("POST", PHONE_PATH),
            ("POST", PHONE_PATH),
            ("PATCH", f"{PHONE_PATH}/{trunk['id']}"),
            ("PATCH", f"{PHONE_PATH}/{genesys_id}"),
            ("POST", f"{PHONE_PATH}/{shared_id}/numbers"),
        ]
    )
    assert trunk["security"]["password"] is None  # write-only: never stored
    assert trunk["security_fingerprints"]["password"].startswith("pbkdf2_sha256$")
    numbers = {n["phone_number"]: n for n in trunk["phone_numbers"]}
    assert set(numbers) == {"+14155550100", "+14155550101", "+14155550102"}
    assert numbers["+14155550100"]["agent_id"], "routed through data.phonecfg_agent"
    assert trunk["sip_uri"].startswith("sips:")
    attachment = work.resource("phonecfg_agent_attachment.billing")
    assert attachment["connector_id"]
    stored = tofu_emulator.api().get(f"{PHONE_PATH}/{trunk['id']}").json()
    assert {n["phone_number"] for n in stored["phone_numbers"]} == set(numbers)


def test_second_plan_is_clean(work: TofuDir, tofu_emulator: RunningEmulator) -> None:
    tofu_emulator.clear_requests()
    plan = work.plan_exit()
    assert plan.returncode == 0, plan.output
    assert "No changes." in plan.output
    assert writes(tofu_emulator) == []
    assert {method for method, _ in requests(tofu_emulator)} == {"GET"}  # refresh: one GET per resource


def test_one_number_changed_is_one_patch(work: TofuDir, tofu_emulator: RunningEmulator) -> None:
    work.write(CONFIG % {"first_description": "Main line, renamed"})
    plan = work.plan_exit()
    assert plan.returncode == 2, plan.output
    assert "1 to change, 0 to destroy" in plan.output
    assert "Main line, renamed" in plan.output
    assert "Second line" not in plan.output  # the unchanged elements are not shown
    tofu_emulator.clear_requests()
    work.apply()
    trunk_id = work.resource("phonecfg_phone_config.trunk")["id"]
    assert writes(tofu_emulator) == [("PATCH", f"{PHONE_PATH}/{trunk_id}")]
    assert set(bodies(tofu_emulator, "PATCH")[0]) == {"phone_numbers"}
    assert work.plan_exit().returncode == 0


def test_rotated_credential_is_one_patch(work: TofuDir, tofu_emulator: RunningEmulator) -> None:
    work.env_extra["TF_VAR_sip_password"] = SIP_PASSWORD_ROTATED
    before = work.resource("phonecfg_phone_config.trunk")["security_fingerprints"]["password"]
    plan = work.plan_exit()
    assert plan.returncode == 2, plan.output
    assert "write-only" in plan.output or "security" in plan.output
    tofu_emulator.clear_requests()
    work.apply()
    trunk_id = work.resource("phonecfg_phone_config.trunk")["id"]
    assert writes(tofu_emulator) == [("PATCH", f"{PHONE_PATH}/{trunk_id}")]
    assert set(bodies(tofu_emulator, "PATCH")[0]) == {"security"}
    assert work.resource("phonecfg_phone_config.trunk")["security_fingerprints"]["password"] != before
    assert work.plan_exit().returncode == 0


def test_refresh_finds_drift(work: TofuDir, tofu_emulator: RunningEmulator) -> None:
    trunk_id = work.resource("phonecfg_phone_config.trunk")["id"]
    changed = tofu_emulator.api().patch(f"{PHONE_PATH}/{trunk_id}", json={"description": "changed in the console"})
    assert changed.status_code == 200, changed.text
    plan = work.plan_exit()
    assert plan.returncode == 2, plan.output
    assert "changed in the console" in plan.output  # the refreshed value, planned back to the config's
    tofu_emulator.clear_requests()
    work.apply()
    assert writes(tofu_emulator) == [("PATCH", f"{PHONE_PATH}/{trunk_id}")]
    assert bodies(tofu_emulator, "PATCH")[0] == {"description": "SIP trunk managed by OpenTofu"}


def test_bad_input_names_the_hcl_path_before_any_request(work: TofuDir, tofu_emulator: RunningEmulator) -> None:
    bad = work.root / "bad"
    bad.mkdir()
    broken = TofuDir(bad, tofu_emulator)
    broken.write(
        'provider "phonecfg" {}\n'
        'resource "phonecfg_phone_config" "bad" {\n'
        '  name          = "Bad numbers"\n'
        '  phone_numbers = [{ phone_number = "not-a-number" }]\n'
        "  security      = { authentication = true }\n"
        "}\n"
    )
    broken.run("init")
    tofu_emulator.clear_requests()
    plan = broken.plan_exit()
    assert plan.returncode == 1, plan.output
    assert "phone_numbers" in plan.output and "not-a-number" in plan.output, plan.output
    assert "security.username" in plan.output or "username" in plan.output, plan.output
    assert "main.tf line" in plan.output  # the CLI points at the attribute in the source
    assert requests(tofu_emulator) == []


def test_import_a_console_made_config_then_plan_clean(work: TofuDir, tofu_emulator: RunningEmulator) -> None:
    made = tofu_emulator.api().post(
        PHONE_PATH,
        json={
            "name": "Made in the console",
            "service_provider": "sip_trunk",
            "security": {},
            "custom_invite_headers": [{"name": "X-Console"}],
        },
    )
    assert made.status_code in (200, 201), made.text
    config_id = made.json()["id"]
    tofu_emulator.api().patch(
        f"{PHONE_PATH}/{config_id}", json={"phone_numbers": [{"phone_number": "+14155550150"}]}
    ).raise_for_status()
    importing = TofuDir(work.root / "import", tofu_emulator)
    importing.write(
        f'provider "phonecfg" {{}}\nimport {{\n  to = phonecfg_phone_config.console\n  id = "{config_id}"\n}}\n'
    )
    importing.run("init")
    tofu_emulator.clear_requests()
    plan = importing.run("plan", "-generate-config-out=generated.tf", check=False)
    assert plan.returncode in (0, 2), plan.output
    generated = (importing.root / "generated.tf").read_text()
    assert (
        'name = "Made in the console"' in generated.replace("  ", " ").replace("  ", " ")
        or "Made in the console" in generated
    )
    assert "+14155550150" in generated
    assert writes(tofu_emulator) == []
    applied = importing.apply()
    assert "1 imported" in applied.output, applied.output
    assert writes(tofu_emulator) == []  # an import writes nothing
    assert importing.plan_exit().returncode == 0

    # The CLI's own import command, into a fresh state, with the configuration the generator wrote.
    cli_import = TofuDir(work.root / "cli-import", tofu_emulator)
    cli_import.write('provider "phonecfg" {}\n')
    (cli_import.root / "generated.tf").write_text(generated)
    cli_import.run("init")
    cli_import.run("import", "phonecfg_phone_config.console", config_id)
    assert cli_import.plan_exit().returncode == 0
    assert writes(tofu_emulator) == []


def test_destroy(work: TofuDir, tofu_emulator: RunningEmulator) -> None:
    ids = {work.resource(f"phonecfg_phone_config.{n}")["id"] for n in ("trunk", "genesys", "shared")}
    tofu_emulator.clear_requests()
    work.run("destroy", "-auto-approve")
    deletes = {path.rsplit("/", 1)[-1] for method, path in writes(tofu_emulator) if method == "DELETE"}
    assert ids <= deletes
    for config_id in ids:
        assert tofu_emulator.api().get(f"{PHONE_PATH}/{config_id}").status_code == 404


def test_no_credential_anywhere(work: TofuDir, tofu_emulator: RunningEmulator) -> None:
    secrets = {
        "SIP password": SIP_PASSWORD,
        "rotated SIP password": SIP_PASSWORD_ROTATED,
        "Genesys API key": GENESYS_API_KEY,
        "Genesys client secret": GENESYS_CLIENT_SECRET,
    }
    haystacks = work.everything_written()
    assert any("tofu.log" in name for name in haystacks)  # the trace log holds every gRPC call
    assert scan_for_secrets(secrets, haystacks) == []
