"""The Terraform/OpenTofu face: the plugin protocol (v6) over the one core.

`schema.py` turns the field table into Terraform's schema, `values.py` moves values between Terraform's objects
and the core's dicts, `resources.py` maps each resource's plan/apply/read/import onto `core/lifecycle`,
`protocol.py` answers the CLI's gRPC calls, `server.py` is the executable `terraform-provider-phonecfg`.
"""
