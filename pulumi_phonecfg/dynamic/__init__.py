"""The dynamic provider's face: what a Python program imports (`pulumi_phonecfg.PhoneConfig`, `PhoneNumber`,
`get_agent`).

| Module | What it does |
|---|---|
| `providers.py` | The pickled provider classes (their pickle path stays `pulumi_phonecfg.provider`, forever). |
| `resources.py` | The `PhoneConfig` and `PhoneNumber` resources. |
| `phone_config_args.py` | Generated from the field table by `args_codegen.py` (`make schema`). |
| `agents.py` | `get_agent` and `get_agent_output`, read from the program's stack config. |
| `ownership.py` | One owner per number in a program, checked before any request. |
| `pickler_guard.py`, `provider_server.py` | Workarounds for the SDK's pickler and its 4-thread provider server. |
"""
