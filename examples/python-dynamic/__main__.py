"""Every resource and function of the dynamic provider `pulumi_phonecfg`: `get_agent`, a SIP trunk whose number is
its own `PhoneNumber` resource, and a Genesys Audio Connector config with an agent attached by an `AgentAttachment`.

    pulumi config set phonecfg:url https://api.<region>.watson-orchestrate.cloud.ibm.com/instances/<id>
    pulumi config set --secret phonecfg:apiKey          # prompts for the value
    pulumi config set --secret sipPassword              # the digest password the carrier sends
    pulumi config set --secret genesysApiKey            # a shared secret you choose
    pulumi config set --secret genesysClientSecret      # another one, base64-encoded
    pulumi up
"""

import pulumi

from pulumi_phonecfg import AgentAttachment, PhoneConfig, PhoneNumber, get_agent

config = pulumi.Config()
environment = config.get("agentEnvironment") or "live"
# --8<-- [start:agents]
customer_care = get_agent("customer-care", environment=environment)
billing = get_agent("billing", environment=environment)
# --8<-- [end:agents]

# No phone_numbers here: the PhoneNumber resources own the trunk's numbers (declaring the list would own it all).
support_trunk = PhoneConfig(
    "supportTrunk",
    name="Support SIP trunk",
    security={
        "secure_trunking": True,
        "authentication": True,
        "username": "support-trunk",
        "password": config.require_secret("sipPassword"),
    },
)
# --8<-- [start:phone-number]
PhoneNumber(
    "supportLine",
    config_id=support_trunk.id,
    phone_number=config.get("supportNumber") or "+14155550100",
    description="Support hotline",
    agent_id=customer_care.agent_id,
    environment_id=customer_care.environment_id,
)
# --8<-- [end:phone-number]

# No attached_environments here: the AgentAttachment resources own the attached agents.
genesys = PhoneConfig(
    "genesysAudioConnector",
    name="Genesys Audio Connector",
    service_provider="genesys_audio_connector",
    security={
        "api_key": config.require_secret("genesysApiKey"),
        "client_secret": config.require_secret("genesysClientSecret"),  # base64
    },
)
# --8<-- [start:attachment]
billing_attachment = AgentAttachment(
    "billingAttachment",
    config_id=genesys.id,
    agent_id=billing.agent_id,
    environment_id=billing.environment_id,
    agent_name=billing.agent_name,
    environment_name=billing.environment_name,
)
# --8<-- [end:attachment]

pulumi.export("sipUri", support_trunk.sip_uri)  # give this to the carrier
pulumi.export("connectorId", billing_attachment.connector_id)  # enter these two in Genesys Cloud
pulumi.export("audioConnectUri", billing_attachment.audio_connect_uri)
