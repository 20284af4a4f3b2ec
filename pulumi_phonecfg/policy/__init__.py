"""The policy face: CrossGuard policies over phone-config resources (`policy/` at the repository root is the pack).

`rules` holds the logic as pure functions over a resource's type, name and inputs (unit-testable without the
engine); `pack` adapts it to `pulumi_policy` and serves it.
"""
