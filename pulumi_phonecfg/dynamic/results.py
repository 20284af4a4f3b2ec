"""The core's lifecycle results as `pulumi.dynamic`'s, field by field: what the dynamic provider server reads."""

from __future__ import annotations

from pulumi import dynamic

from pulumi_phonecfg.core.lifecycle import results


def check_result(result: results.CheckResult) -> dynamic.CheckResult:
    failures = [dynamic.CheckFailure(f.property, f.reason) for f in result.failures]
    return dynamic.CheckResult(result.inputs, failures)


def diff_result(result: results.DiffResult) -> dynamic.DiffResult:
    return dynamic.DiffResult(
        changes=result.changes, replaces=list(result.replaces), delete_before_replace=result.delete_before_replace
    )


def create_result(result: results.CreateResult) -> dynamic.CreateResult:
    return dynamic.CreateResult(result.id, result.outs)


def read_result(result: results.ReadResult) -> dynamic.ReadResult:
    return dynamic.ReadResult(result.id, result.outs)


def update_result(result: results.UpdateResult) -> dynamic.UpdateResult:
    return dynamic.UpdateResult(result.outs)
