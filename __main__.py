"""Demo program for the root Pulumi project (`Pulumi.yaml`, stack "demo").

`make demo` starts the local emulator, sets the stack config below and runs `pulumi up`. Every credential is
fake and comes from stack config (set as secrets by `scripts/demo.sh`):

    phonecfg:url                          instance URL (provider config; requests go to {url}/v1/channels/phone)
    phonecfg:token             (secret)   bearer token (provider config)
    phonecfg-demo:sipUsername             SIP digest username
    phonecfg-demo:sipPassword  (secret)   SIP digest password
    phonecfg-demo:genesysApiKey       (secret)  Genesys Audio Connector API key
    phonecfg-demo:genesysClientSecret (secret)  Genesys Audio Connector client secret (base64)

Agents are named, never given as UUIDs: `get_agent` looks them up in the stack's own tenant (the emulator serves
the demo agents `customer-care`, `billing` and `after-hours`), so the same program works in every tenant.
"""

from __future__ import annotations

from typing import Any

import pulumi

from pulumi_phonecfg import PhoneConfig, get_agent

cfg = pulumi.Config()

customer_care = get_agent("customer-care")  # environment="live" by default
billing_draft = get_agent("billing", environment="draft")
after_hours = get_agent("after-hours", environment="draft")  # never deployed: it has no live environment

sip_trunk = PhoneConfig(
    "support-sip-trunk",
    name="Support SIP trunk",
    service_provider="sip_trunk",
    description="Inbound customer-support line (demo; fake credentials)",
    security={
        "secure_trunking": True,
        "authentication": True,
        "username": cfg.require("sipUsername"),
        "password": cfg.require_secret("sipPassword"),
    },
    custom_invite_headers=[{"name": "X-Customer-Id"}, {"name": "X-Call-Reason"}],
    put_caller_on_hold_on_transfer=True,
    send_provisional_response=True,
    error_handling={
        "fallback_sip_uri": "sip:overflow@pbx.example.com",
        "transfer_failure": {
            "reply_message": "Sorry, nobody can take your call right now. Please try again later.",
            "disconnect_call": True,
        },
        "call_failure": {"reply_message": "Sorry, something went wrong. Please call again."},
    },
    phone_numbers=[
        {
            "phone_number": "+14155550101",
            "description": "Support hotline, routed to the live customer-care agent",
            "agent_id": customer_care.agent_id,
            "environment_id": customer_care.environment_id,
        },
        {
            "phone_number": "+14155550102",
            "description": "Support overflow, routed to the after-hours agent (draft)",
            "agent_id": after_hours.agent_id,
            "environment_id": after_hours.environment_id,
        },
        {"phone_number": "+12025550103", "description": "East-coast support"},
    ],
)

genesys = PhoneConfig(
    "genesys-audio-connector",
    name="Genesys Audio Connector",
    service_provider="genesys_audio_connector",
    description="Genesys Cloud Audio Connector for the customer-care and billing agents (demo; fake credentials)",
    security={
        "api_key": cfg.require_secret("genesysApiKey"),
        "client_secret": cfg.require_secret("genesysClientSecret"),
    },
    attached_environments=[
        {"agent_id": customer_care.agent_id, "environment_id": customer_care.environment_id},
        {"agent_id": billing_draft.agent_id, "environment_id": billing_draft.environment_id},
    ],
)


def _numbers(numbers: list[dict[str, Any]] | None) -> list[str]:
    return [n["phone_number"] for n in numbers or []]


pulumi.export("sip_trunk_id", sip_trunk.id)
pulumi.export("sip_trunk_numbers", sip_trunk.phone_numbers.apply(_numbers))
pulumi.export("genesys_id", genesys.id)
pulumi.export("genesys_attached_environments", genesys.attached_environments)
pulumi.export("tenant_id", sip_trunk.tenant_id)
# What the carrier and Genesys Cloud need; another stack can read them through a StackReference.
pulumi.export("sip_uri", sip_trunk.sip_uri)
pulumi.export("genesys_audio_connect_uri", genesys.audio_connect_uri)
pulumi.export("genesys_connectors", genesys.connectors)
