"""The permanent pickle path of the dynamic providers: **never move, rename or remove this module.**

Every dynamic resource's state names its provider class by reference,
`pulumi_phonecfg.provider.PhoneConfigProvider`, `pulumi_phonecfg.provider.PhoneNumberProvider` or
`pulumi_phonecfg.provider.AgentAttachmentProvider`, and `refresh`/`destroy` import it from there. The classes live
in `dynamic/providers.py`, which gives them this module as their `__module__`, so they are still pickled under this
path; tests/e2e/test_pre_move_state.py deploys a state written before the move.
"""

from pulumi_phonecfg.dynamic.providers import AgentAttachmentProvider, PhoneConfigProvider, PhoneNumberProvider

__all__ = ["AgentAttachmentProvider", "PhoneConfigProvider", "PhoneNumberProvider"]
