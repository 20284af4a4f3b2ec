"""Every resource and function of the native SDK `pulumi_phonecfg_native`: `get_agent_output`, a SIP trunk whose
number is its own `PhoneNumber` resource, and a Genesys Audio Connector config with an agent attached by an
`AgentAttachment`.
"""

import pulumi
import pulumi_phonecfg_native as phonecfg

config = pulumi.Config()
environment = config.require("agentEnvironment")

# --8<-- [start:trunk]
customer_care = phonecfg.get_agent_output(name="customer-care", environment=environment)
billing = phonecfg.get_agent_output(name="billing", environment=environment)

# No phone_numbers here: the PhoneNumber resources own the trunk's numbers (declaring the list would own it all).
support_trunk = phonecfg.PhoneConfig(
    "supportTrunk",
    name="Support SIP trunk",
    security=phonecfg.SecurityArgs(
        secure_trunking=True,
        authentication=True,
        username="support-trunk",
        password=config.require_secret("sipPassword"),
    ),
)
phonecfg.PhoneNumber(
    "supportLine",
    config_id=support_trunk.id,
    phone_number=config.require("supportNumber"),
    description="Support hotline",
    agent_id=customer_care.agent_id,
    environment_id=customer_care.environment_id,
)
# --8<-- [end:trunk]

# No attached_environments here: the AgentAttachment resources own the attached agents.
genesys = phonecfg.PhoneConfig(
    "genesysAudioConnector",
    name="Genesys Audio Connector",
    service_provider="genesys_audio_connector",
    security=phonecfg.SecurityArgs(
        api_key=config.require_secret("genesysApiKey"),
        client_secret=config.require_secret("genesysClientSecret"),  # base64
    ),
)
billing_attachment = phonecfg.AgentAttachment(
    "billingAttachment",
    config_id=genesys.id,
    agent_id=billing.agent_id,
    environment_id=billing.environment_id,
    agent_name=billing.agent_name,
    environment_name=billing.environment_name,
)

pulumi.export("sipUri", support_trunk.sip_uri)  # give this to the carrier
pulumi.export("connectorId", billing_attachment.connector_id)  # enter these two in Genesys Cloud
pulumi.export("audioConnectUri", billing_attachment.audio_connect_uri)
