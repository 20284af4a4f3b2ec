"""Genesys Cloud Audio Connector into watsonx Orchestrate, one agent environment attached.

    pulumi config set phonecfg:url https://api.<region>.watson-orchestrate.cloud.ibm.com/instances/<id>
    pulumi config set --secret phonecfg:apiKey          # prompts for the value
    pulumi config set agentName customer-care           # an agent of your tenant
    pulumi config set --secret genesysApiKey            # a shared secret you choose
    pulumi config set --secret genesysClientSecret      # another one, base64-encoded
    pulumi up

In Genesys Cloud, enter the same two secrets under the Audio Connector integration's credentials, its base
URI `audio_connect_uri` and, per attached agent, the `connector_id` from `connectors` (both outputs).
"""

import pulumi

from pulumi_phonecfg import PhoneConfig, get_agent

config = pulumi.Config()
agent = get_agent(config.require("agentName"), environment=config.get("agentEnvironment") or "live")

connector = PhoneConfig(
    "genesys-audio-connector",
    name=config.get("configName") or "Genesys Audio Connector",
    service_provider="genesys_audio_connector",
    security={
        "api_key": config.require_secret("genesysApiKey"),
        "client_secret": config.require_secret("genesysClientSecret"),
    },
    attached_environments=[{"agent_id": agent.agent_id, "environment_id": agent.environment_id}],
)

pulumi.export("id", connector.id)
pulumi.export("audio_connect_uri", connector.audio_connect_uri)
pulumi.export("connectors", connector.connectors)
