"""A SIP trunk and a Genesys Audio Connector config through the native provider's generated Python SDK.

Agents are named, never given by UUID: `get_agent_output` looks them up in the stack's own tenant.
"""

import pulumi
import pulumi_phonecfg_native as phonecfg

config = pulumi.Config()
environment = config.require("agentEnvironment")

# Agents by name (one agents listing per name; the provider caches it).
customer_care = phonecfg.get_agent_output(name="customer-care", environment=environment)
billing = phonecfg.get_agent_output(name="billing", environment=environment)

support_trunk = phonecfg.PhoneConfig(
    "supportTrunk",
    name="Support SIP trunk",
    description="Inbound support line from the carrier",
    security=phonecfg.SecurityArgs(
        secure_trunking=True,
        authentication=True,
        username="support-trunk",
        password=config.require_secret("sipPassword"),
    ),
    custom_invite_headers=[phonecfg.CustomInviteHeaderArgs(name="X-Customer-Id")],
    error_handling=phonecfg.ErrorHandlingArgs(
        fallback_sip_uri=config.require("fallbackSipUri"),
        transfer_failure=phonecfg.TransferFailureArgs(
            reply_message="Sorry, nobody can take your call right now.", disconnect_call=True
        ),
    ),
    phone_numbers=[
        phonecfg.PhoneNumberArgs(
            phone_number=config.require("supportNumber"),
            description="Support hotline",
            agent_id=customer_care.agent_id,
            environment_id=customer_care.environment_id,
        ),
        phonecfg.PhoneNumberArgs(
            phone_number=config.require("billingNumber"),
            description=config.require("billingDescription"),
            agent_id=billing.agent_id,
            environment_id=billing.environment_id,
        ),
    ],
)

genesys = phonecfg.PhoneConfig(
    "genesysAudioConnector",
    name="Genesys Audio Connector",
    service_provider="genesys_audio_connector",
    security=phonecfg.SecurityArgs(
        api_key=config.require_secret("genesysApiKey"),
        client_secret=config.require_secret("genesysClientSecret"),  # base64
    ),
    attached_environments=[
        phonecfg.AttachedEnvironmentArgs(agent_id=customer_care.agent_id, environment_id=customer_care.environment_id),
        phonecfg.AttachedEnvironmentArgs(agent_id=billing.agent_id, environment_id=billing.environment_id),
    ],
)

pulumi.export("supportTrunkId", support_trunk.id)
pulumi.export("sipUri", support_trunk.sip_uri)  # give this to the carrier
pulumi.export("genesysId", genesys.id)
pulumi.export("audioConnectUri", genesys.audio_connect_uri)
pulumi.export("connectors", genesys.connectors)
