"""The phonecfg policy pack: the policies live in `pulumi_phonecfg.policy` (README, "Policy pack")."""

from pulumi_phonecfg.policy.pack import serve

serve()
