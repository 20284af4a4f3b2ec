"""A SIP trunk from your carrier into watsonx Orchestrate, one number routed to an agent.

    pulumi config set phonecfg:url https://api.<region>.watson-orchestrate.cloud.ibm.com/instances/<id>
    pulumi config set --secret phonecfg:apiKey          # prompts for the value
    pulumi config set agentName customer-care           # an agent of your tenant
    pulumi config set phoneNumber +14155550100          # E.164
    pulumi config set --secret sipPassword              # the digest password the carrier sends
    pulumi up

Give `sip_uri` (an output) to the carrier as the trunk's destination.
"""

import pulumi

from pulumi_phonecfg import PhoneConfig, get_agent

config = pulumi.Config()
agent = get_agent(config.require("agentName"), environment=config.get("agentEnvironment") or "live")

trunk = PhoneConfig(
    "sip-trunk",
    name=config.get("trunkName") or "SIP trunk",
    security={
        "secure_trunking": True,
        "authentication": True,
        "username": config.get("sipUsername") or "carrier",
        "password": config.require_secret("sipPassword"),
    },
    phone_numbers=[
        {
            "phone_number": config.require("phoneNumber"),
            "agent_id": agent.agent_id,
            "environment_id": agent.environment_id,
        },
    ],
)

pulumi.export("id", trunk.id)
pulumi.export("sip_uri", trunk.sip_uri)
