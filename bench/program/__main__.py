"""`bench:count` PhoneConfigs at `bench:revision` (workload.py beside it: the desired state, the baseline's too)."""

import pulumi
from workload import desired_configs

from pulumi_phonecfg import PhoneConfig

config = pulumi.Config("bench")
for spec in desired_configs(config.require_int("count"), config.get_int("revision") or 1):
    PhoneConfig(spec["name"], **spec)
