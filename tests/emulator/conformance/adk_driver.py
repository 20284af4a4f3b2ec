"""Drives IBM's own ADK client (``ibm-watsonx-orchestrate``), unchanged, against the emulator.

Runs in the ADK's own virtualenv (scripts/adk-venv.sh), never in the project's: it imports nothing from this
repository. Reads a JSON scenario from stdin and writes one JSON document to the file named by its argument (the
ADK logs to stdout): for every step either ``{"ok": true, "value": ...}`` or
``{"ok": false, "error": {"type", "status", "message"}}``. The assertions live
in test_adk_client.py; this script only calls the ADK the way its CLI controller does and records what came back.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import yaml
from ibm_watsonx_orchestrate.agent_builder.phone.types import GenesysAudioConnectorChannel, SIPTrunkChannel
from ibm_watsonx_orchestrate.cli.commands.phone.phone_controller import PhoneController
from ibm_watsonx_orchestrate.client.phone.phone_client import PhoneClient
from ibm_watsonx_orchestrate_clients.agents.agent_client import AgentClient
from ibm_watsonx_orchestrate_clients.common.base_client import ClientAPIException, format_client_api_error


class Recorder:
    def __init__(self) -> None:
        self.steps: dict[str, dict[str, Any]] = {}

    def run(self, name: str, call: Callable[[], Any]) -> Any:
        try:
            value = call()
        except Exception as exc:  # the error itself is the result being recorded
            self.steps[name] = {"ok": False, "error": describe(exc)}
            return None
        self.steps[name] = {"ok": True, "value": value}
        return value


def describe(exc: Exception) -> dict[str, Any]:
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    message = format_client_api_error(exc) if isinstance(exc, ClientAPIException) else str(exc)
    error: dict[str, Any] = {"type": type(exc).__name__, "status": status, "message": message}
    for field in ("resource", "current", "requested", "limit"):
        if hasattr(exc, field):
            error[field] = getattr(exc, field)
    return error


def environment_id(agents: list[dict[str, Any]], env: str) -> str:
    """What the ADK's ``get_environment_id`` does with the listing: first agent, environment by name."""
    return str(next(e["id"] for e in agents[0]["environments"] if e["name"] == env))


class LogCapture(logging.Handler):
    """What the CLI's controller logs (it reports through its logger and exits on errors)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # The ADK re-registers coloured level names; name the level from its number instead.
        level = (
            "ERROR" if record.levelno >= logging.ERROR else "WARNING" if record.levelno >= logging.WARNING else "INFO"
        )
        self.messages.append(f"{level}: {record.getMessage()}")


def cli_controller(client: PhoneClient, agents_client: AgentClient) -> tuple[PhoneController, LogCapture]:
    """The controller behind ``orchestrate phone ...``, given the clients it would build from its config.

    The config file is what ``orchestrate env add`` + ``env activate`` leave behind (HOME is a throwaway
    directory); the controller reads it to tell local from SaaS.
    """
    folder = os.path.expanduser("~/.config/orchestrate")
    os.makedirs(folder, exist_ok=True)
    with open(f"{folder}/config.yaml", "w", encoding="utf-8") as config:
        url = client.base_url.removesuffix("/v1")
        environments = {"local": {"wxo_url": "http://localhost:4321"}, "emulator": {"wxo_url": url}}
        yaml.safe_dump({"context": {"active_environment": "emulator"}, "environments": environments}, config)
    controller = PhoneController()
    controller.phone_client = client
    controller.agent_client = agents_client
    capture = LogCapture()
    logger = logging.getLogger(PhoneController.__module__)
    logger.setLevel(logging.INFO)
    logger.addHandler(capture)
    return controller, capture


def cli_command(capture: LogCapture, command: Callable[[], Any]) -> dict[str, Any]:
    """Run one controller command: its exit code (None when it returned) and what it logged."""
    capture.messages.clear()
    try:
        command()
    except SystemExit as exc:
        return {"exit": exc.code, "log": list(capture.messages)}
    return {"exit": None, "log": list(capture.messages)}


def export_then_import(controller: PhoneController, capture: LogCapture, config_id: str) -> dict[str, Any]:
    """``orchestrate phone export`` then ``orchestrate phone import`` of the exported file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/exported.yaml"
        exported = cli_command(capture, lambda: controller.export_phone_config(config_id, path))
        with open(path, encoding="utf-8") as file:
            keys = sorted(line.split(":")[0] for line in file if line[:1].isalpha())
        imported = cli_command(capture, lambda: controller.import_phone_config(path))
    return {"export": exported, "exported_keys": keys, "import": imported}


def local_scenario(s: dict[str, Any], rec: Recorder) -> None:
    client = PhoneClient(base_url=s["local_url"], api_key=s["token"], is_local=True)
    agents_client = AgentClient(base_url=s["local_url"], api_key=s["token"], is_local=True)
    rec.run("local_base", lambda: {"base_url": client.base_url, "base_endpoint": client.base_endpoint})
    rec.run("subscription_id", client.get_subscription_id)

    sip = SIPTrunkChannel(
        name="adk sip trunk",
        description="created by IBM's client",
        custom_invite_headers=[{"name": "X-Adk-Test"}],
        security={
            "secure_trunking": True,
            "authentication": True,
            "username": s["sip_username"],
            "password": s["sip_password"],
        },
        error_handling={"fallback_sip_uri": "sip:fallback@example.com", "call_failure": {"reply_message": "Sorry"}},
    )
    created_sip = rec.run("create_sip", lambda: client.create_phone_channel(sip))
    genesys = GenesysAudioConnectorChannel(
        name="adk genesys",
        security={"api_key": s["genesys_api_key"], "client_secret": s["genesys_client_secret"]},
    )
    created_genesys = rec.run("create_genesys", lambda: client.create_phone_channel(genesys))
    if not created_sip or not created_genesys:
        return
    sip_id, genesys_id = created_sip["id"], created_genesys["id"]

    rec.run("list", client.list_phone_channels)
    rec.run("get_sip", lambda: client.get_phone_channel(sip_id))
    rec.run("get_genesys", lambda: client.get_phone_channel(genesys_id))

    # A Python-built model sends only the fields set explicitly (partial=True): no security, so the password stays.
    rename = SIPTrunkChannel(name="adk sip trunk renamed", description="updated by IBM's client")
    rec.run("update_sip_partial", lambda: client.update_phone_channel(sip_id, rename, partial=True))
    rec.run("get_sip_after_update", lambda: client.get_phone_channel(sip_id))

    agents = rec.run("agents_by_names", lambda: agents_client.get_drafts_by_names(["customer-care", "billing"]))
    rec.run("agent_unknown", lambda: agents_client.get_draft_by_name("no-such-agent"))
    care = rec.run("agent_customer_care", lambda: agents_client.get_draft_by_name("customer-care"))
    billing = rec.run("agent_billing", lambda: agents_client.get_draft_by_name("billing"))
    if not agents or not care or not billing:
        return
    care_id, care_live = care[0]["id"], environment_id(care, "live")
    billing_id, billing_draft = billing[0]["id"], environment_id(billing, "draft")

    rec.run("add_number", lambda: client.add_phone_number(sip_id, "+14155550100", description="main line"))
    rec.run(
        "add_number_for_agent",
        lambda: client.add_phone_number(sip_id, "+14155550101", agent_id=care_id, environment_id=care_live),
    )
    rec.run("list_numbers", lambda: client.list_phone_numbers(sip_id))
    rec.run(
        "rename_number",
        lambda: client.update_phone_number(sip_id, "+14155550100", new_number="+14155550199", description="moved"),
    )
    rec.run("list_numbers_after_rename", lambda: client.list_phone_numbers(sip_id))
    rec.run("delete_number", lambda: client.delete_phone_number(sip_id, "+14155550199"))
    rec.run("list_numbers_after_delete", lambda: client.list_phone_numbers(sip_id))
    rec.run("numbers_on_genesys", lambda: client.add_phone_number(genesys_id, "+14155550102"))

    # `orchestrate phone attach/detach`: GET, agent by id, then PATCH of the whole attached_environments list.
    controller, capture = cli_controller(client, agents_client)
    rec.run(
        "attach_care_live",
        lambda: cli_command(capture, lambda: controller.attach_agent_to_config(genesys_id, care_id, care_live)),
    )
    rec.run(
        "attach_billing_draft",
        lambda: cli_command(capture, lambda: controller.attach_agent_to_config(genesys_id, billing_id, billing_draft)),
    )
    rec.run(
        "attach_again",
        lambda: cli_command(capture, lambda: controller.attach_agent_to_config(genesys_id, billing_id, billing_draft)),
    )
    rec.run("get_after_attach", lambda: client.get_phone_channel(genesys_id))
    rec.run(
        "detach_care_live",
        lambda: cli_command(capture, lambda: controller.detach_agent_from_config(genesys_id, care_id, care_live)),
    )
    rec.run("get_after_detach", lambda: client.get_phone_channel(genesys_id))

    rec.run("export_import_genesys", lambda: export_then_import(controller, capture, genesys_id))

    upsert_same = GenesysAudioConnectorChannel(
        name="adk genesys",
        description="upserted by name",
        security={"api_key": s["genesys_api_key"], "client_secret": s["genesys_client_secret"]},
    )
    rec.run("upsert_existing", lambda: list(client.create_or_update_phone_channel(upsert_same)))
    # Without security the ADK sends no "security" key at all (reference 1.1): see the test for who is right.
    rec.run("create_sip_without_security", lambda: client.create_phone_channel(SIPTrunkChannel(name="bare trunk")))
    new_trunk = SIPTrunkChannel(name="adk upserted trunk", security={})
    rec.run("upsert_new", lambda: list(client.create_or_update_phone_channel(new_trunk)))

    # The ADK's model lets an api_key through on a SIP trunk; the server's rules do not.
    rejected = SIPTrunkChannel(
        name="adk rejected",
        security={
            "authentication": True,
            "username": s["sip_username"],
            "password": s["sip_password"],
            "api_key": s["genesys_api_key"],
        },
    )
    rec.run("create_rejected", lambda: client.create_phone_channel(rejected))

    rec.run("delete_sip", lambda: client.delete_phone_channel(sip_id))
    rec.run("get_deleted_sip", lambda: client.get_phone_channel(sip_id))
    rec.run("delete_deleted_sip", lambda: client.delete_phone_channel(sip_id))
    rec.run("list_after_delete", client.list_phone_channels)


def saas_scenario(s: dict[str, Any], rec: Recorder) -> None:
    """The SaaS layout: ``{instance_url}/v1//channels/phone`` (needs a host the ADK does not call local)."""
    client = PhoneClient(base_url=s["saas_url"], api_key=s["saas_token"], is_local=False)
    rec.run("saas_base", lambda: {"base_url": client.base_url, "base_endpoint": client.base_endpoint})
    created = rec.run(
        "saas_create", lambda: client.create_phone_channel(SIPTrunkChannel(name="saas trunk", security={}))
    )
    rec.run("saas_list", client.list_phone_channels)
    # The emulator there runs with --max-configs 1: the second create hits the tenant quota.
    rec.run("saas_quota", lambda: client.create_phone_channel(SIPTrunkChannel(name="over quota", security={})))
    if created:
        rec.run("saas_delete", lambda: client.delete_phone_channel(created["id"]))


def main() -> int:
    scenario = json.load(sys.stdin)
    rec = Recorder()
    local_scenario(scenario, rec)
    saas_scenario(scenario, rec)
    report = {"adk_version": version("ibm-watsonx-orchestrate"), "steps": rec.steps}
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(report, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
