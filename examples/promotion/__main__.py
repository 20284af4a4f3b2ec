"""One program, three tenants: dev -> staging -> prod.

The stacks differ only in their config (`Pulumi.<stack>.yaml`): the tenant URL, which agent environment the
calls go to (`draft` in dev, `live` elsewhere) and the tenant's own phone number. Agents are named, never
given by UUID: `get_agent` looks each one up in the stack's own tenant, where its ids differ.

Secrets, once per stack (each command prompts for the value):

    pulumi config set --secret phonecfg:apiKey      # or phonecfg:token
    pulumi config set --secret sipPassword
    pulumi config set --secret genesysApiKey
    pulumi config set --secret genesysClientSecret  # base64
"""

import pulumi

from pulumi_phonecfg import PhoneConfig, get_agent

config = pulumi.Config()
environment = config.get("agentEnvironment") or "live"

# Agents by name, in this stack's tenant.
customer_care = get_agent("customer-care", environment=environment)
billing = get_agent("billing", environment=environment)

support_trunk = PhoneConfig(
    "support-sip-trunk",
    name="Support SIP trunk",
    description="Inbound support line from the carrier",
    security={
        "secure_trunking": True,
        "authentication": True,
        "username": config.get("sipUsername") or "support-trunk",
        "password": config.require_secret("sipPassword"),
    },
    custom_invite_headers=[{"name": "X-Customer-Id"}],
    error_handling={
        "fallback_sip_uri": config.require("fallbackSipUri"),
        "transfer_failure": {"reply_message": "Sorry, nobody can take your call right now.", "disconnect_call": True},
    },
    phone_numbers=[
        {
            "phone_number": config.require("supportNumber"),
            "description": "Support hotline",
            "agent_id": customer_care.agent_id,
            "environment_id": customer_care.environment_id,
        },
    ],
    # Takes over a trunk someone already made by hand in this tenant, instead of failing on the name.
    adopt_existing=True,
)

genesys = PhoneConfig(
    "genesys-audio-connector",
    name="Genesys Audio Connector",
    service_provider="genesys_audio_connector",
    security={
        "api_key": config.require_secret("genesysApiKey"),
        "client_secret": config.require_secret("genesysClientSecret"),
    },
    attached_environments=[
        {"agent_id": customer_care.agent_id, "environment_id": customer_care.environment_id},
        {"agent_id": billing.agent_id, "environment_id": billing.environment_id},
    ],
    adopt_existing=True,
)

# What the other side of the wire needs (read by ./consumer through a StackReference).
pulumi.export("support_trunk_id", support_trunk.id)
pulumi.export("sip_uri", support_trunk.sip_uri)
pulumi.export("genesys_id", genesys.id)
pulumi.export("audio_connect_uri", genesys.audio_connect_uri)
pulumi.export("connectors", genesys.connectors)
pulumi.export("agent_environment", environment)
