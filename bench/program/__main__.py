"""`bench:count` PhoneConfigs at `bench:revision`, or the shape `bench:shape` (workload.py beside it: the desired
state, the baseline's too)."""

import pulumi
from workload import AGENT_ATTACHMENT, PHONE_NUMBER, desired_configs, shape_resources

from pulumi_phonecfg import AgentAttachment, PhoneConfig, PhoneNumber

MEMBER_RESOURCES = {PHONE_NUMBER: PhoneNumber, AGENT_ATTACHMENT: AgentAttachment}

config = pulumi.Config("bench")
revision = config.get_int("revision") or 1
shape = config.get("shape")
if shape:
    configs, members = shape_resources(shape, revision)
    declared = {spec["name"]: PhoneConfig(spec["name"], **spec) for spec in configs}
    for member in members:
        resource = MEMBER_RESOURCES[member.pop("kind")]
        resource(member.pop("resource_name"), config_id=declared[member.pop("config")].id, **member)
else:
    for spec in desired_configs(config.require_int("count"), revision):
        PhoneConfig(spec["name"], **spec)
