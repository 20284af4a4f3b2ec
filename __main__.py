"""Demo program for the root Pulumi project (`Pulumi.yaml`, stack "demo").

`make demo` starts the local emulator, sets the stack config below and runs `pulumi up`. Every credential is
fake and comes from stack config (set as secrets by `scripts/demo.sh`):

    phonecfg:url                          instance URL (provider config; requests go to {url}/v1/channels/phone)
    phonecfg:token             (secret)   bearer token (provider config)
    phonecfg-demo:sipUsername             SIP digest username
    phonecfg-demo:sipPassword  (secret)   SIP digest password
    phonecfg-demo:genesysApiKey       (secret)  Genesys Audio Connector API key
    phonecfg-demo:genesysClientSecret (secret)  Genesys Audio Connector client secret (base64)

The agent and environment ids are fixed example UUIDs; override them with the optional config keys
`supportAgentId`, `salesAgentId`, `draftEnvironmentId` and `liveEnvironmentId`.
"""

from __future__ import annotations

from typing import Any

import pulumi

from pulumi_phonecfg import PhoneConfig

cfg = pulumi.Config()

SUPPORT_AGENT = cfg.get("supportAgentId") or "6f1c2a5e-1d2b-4c3d-8e4f-5a6b7c8d9e01"
SALES_AGENT = cfg.get("salesAgentId") or "0b9a8c7d-6e5f-4a3b-9c2d-1e0f2a3b4c02"
DRAFT_ENV = cfg.get("draftEnvironmentId") or "d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f03"
LIVE_ENV = cfg.get("liveEnvironmentId") or "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c04"

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
            "description": "Support hotline, routed to the live support agent",
            "agent_id": SUPPORT_AGENT,
            "environment_id": LIVE_ENV,
        },
        {"phone_number": "+14155550102", "description": "Support overflow"},
        {"phone_number": "+12025550103", "description": "East-coast support"},
    ],
)

genesys = PhoneConfig(
    "genesys-audio-connector",
    name="Genesys Audio Connector",
    service_provider="genesys_audio_connector",
    description="Genesys Cloud Audio Connector for the support and sales agents (demo; fake credentials)",
    security={
        "api_key": cfg.require_secret("genesysApiKey"),
        "client_secret": cfg.require_secret("genesysClientSecret"),
    },
    attached_environments=[
        {"agent_id": SUPPORT_AGENT, "environment_id": LIVE_ENV},
        {"agent_id": SALES_AGENT, "environment_id": DRAFT_ENV},
    ],
)


def _numbers(numbers: list[dict[str, Any]] | None) -> list[str]:
    return [n["phone_number"] for n in numbers or []]


pulumi.export("sip_trunk_id", sip_trunk.id)
pulumi.export("sip_trunk_numbers", sip_trunk.phone_numbers.apply(_numbers))
pulumi.export("genesys_id", genesys.id)
pulumi.export("genesys_attached_environments", genesys.attached_environments)
pulumi.export("tenant_id", sip_trunk.tenant_id)
