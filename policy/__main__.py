"""The phonecfg policy pack: the policies live in `pulumi_phonecfg.policy` (docs/guides/teams-and-ci.md)."""

from pulumi_phonecfg.policy.pack import serve

serve()
