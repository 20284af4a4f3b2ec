"""`bench:count` PhoneConfigs at `bench:revision`, or the shape `bench:shape` (workload.py beside it: the desired
state, the baseline's too)."""

import pulumi
from workload import desired_configs, shape_resources

from pulumi_phonecfg import PhoneConfig, PhoneNumber

config = pulumi.Config("bench")
revision = config.get_int("revision") or 1
shape = config.get("shape")
if shape:
    configs, numbers = shape_resources(shape, revision)
    trunks = {spec["name"]: PhoneConfig(spec["name"], **spec) for spec in configs}
    for number in numbers:
        trunk = trunks[number.pop("trunk")]
        PhoneNumber(number["phone_number"].lstrip("+"), config_id=trunk.id, **number)
else:
    for spec in desired_configs(config.require_int("count"), revision):
        PhoneConfig(spec["name"], **spec)
