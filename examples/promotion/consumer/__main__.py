"""The other side of the wire: reads a phonecfg-promotion stack's outputs through a StackReference.

A carrier's or Genesys Cloud's Pulumi program would pass these on as inputs of its own resources (the SIP
trunk's target URI, the Audio Connector integration's base URI and connector ids). This one exports them.

    pulumi config set phoneStack organization/phonecfg-promotion/prod   # <org>/<project>/<stack>
"""

from typing import Any

import pulumi

config = pulumi.Config()
phones = pulumi.StackReference(config.require("phoneStack"))


def connector_ids(connectors: list[dict[str, Any]]) -> list[str]:
    return [c["connector_id"] for c in connectors]


pulumi.export("carrier_sip_target", phones.require_output("sip_uri"))
pulumi.export("genesys_audio_connect_uri", phones.require_output("audio_connect_uri"))
pulumi.export("genesys_connector_ids", phones.require_output("connectors").apply(connector_ids))
