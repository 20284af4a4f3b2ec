"""The native Pulumi provider `phonecfg`: the plugin `pulumi-resource-phonecfg`, for any Pulumi language.

It serves `phonecfg:index:PhoneConfig`, `phonecfg:index:PhoneNumber` and `phonecfg:index:getAgent` over the
ResourceProvider gRPC protocol, with the same lifecycles as the dynamic `pulumi_phonecfg.PhoneConfig` and
`PhoneNumber` (`core/lifecycle/phone_config.py`, `phone_number.py`) and camelCase names.

| Module | What it does |
|---|---|
| `server.py` | The gRPC service and the console script's `main`: decode, call, encode, one-line errors. |
| `provider.py` | Settings and the API client of the plugin process; `getAgent`. |
| `phone_config.py` | The PhoneConfig calls, names translated at the boundary to the lifecycle's. |
| `phone_number.py` | The PhoneNumber calls, the same way to the core's; the import id checked. |
| `names.py` | camelCase <-> snake_case, and unknown program properties reported in the program's spelling. |
| `diff.py` | The detailed diff: changed paths, set-like lists per element. |
| `config.py` | Provider configuration: the `phonecfg:*` keys into `ProviderSettings`. |
| `schema.py` | The package schema from the field table (`python -m pulumi_phonecfg.native.schema`). |
| `wire.py` | protobuf Structs <-> Python values, secrets and unknowns. |
"""
