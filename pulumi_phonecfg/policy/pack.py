"""The policy pack: `rules` as CrossGuard policies (`pulumi_policy`), each with a stable name, a default
enforcement level and its options. `policy/__main__.py` at the repository root calls `serve()`.

Reads each resource's inputs through `pulumi_policy`'s proxies, replacing values unknown during a preview by
`rules.UNKNOWN`, so every check sees plain data and skips what it cannot know.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    PolicyPack,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from pulumi_phonecfg.policy import rules

PACK_NAME: Final = "phonecfg"


def plain(value: Any) -> Any:
    """A proxied input as plain dicts/lists; values unknown during a preview become `rules.UNKNOWN`."""
    if isinstance(value, Mapping):
        result: dict[str, Any] = {}
        for key in value:
            try:
                result[key] = plain(value[key])
            except UnknownValueError:
                result[key] = rules.UNKNOWN
        return result
    if isinstance(value, Sequence) and not isinstance(value, str):
        items: list[Any] = []
        for index in range(len(value)):
            try:
                items.append(plain(value[index]))
            except UnknownValueError:
                items.append(rules.UNKNOWN)
        return items
    return value


def declared(resource: ResourceValidationArgs | PolicyResource) -> rules.Declared:
    depends_on: dict[str, list[str]] = {}
    if isinstance(resource, PolicyResource):
        depends_on = {key: [d.urn for d in sources] for key, sources in resource.property_dependencies.items()}
    return rules.Declared(
        type_token=resource.resource_type,
        name=resource.name,
        inputs=plain(resource.props),
        urn=resource.urn,
        depends_on=depends_on,
    )


@dataclass(frozen=True)
class ResourceRule:
    name: str
    description: str
    check: rules.ResourceCheck
    level: EnforcementLevel = EnforcementLevel.ADVISORY
    options: Mapping[str, Mapping[str, Any]] | None = None


RESOURCE_RULES: Final = (
    ResourceRule("phonecfg-sip-secure-trunking", "SIP trunks use secure trunking (TLS, SRTP).", rules.secure_trunking),
    ResourceRule("phonecfg-sip-authentication", "SIP trunks authenticate the carrier (digest).", rules.authentication),
    ResourceRule("phonecfg-number-routed", "Every number is routed to an agent.", rules.numbers_routed),
    ResourceRule(
        "phonecfg-trunk-error-handling",
        "Every SIP trunk has a fallback SIP URI and a transfer-failure reply.",
        rules.trunk_error_handling,
        options={
            "requireFallbackSipUri": {"type": "boolean", "default": True},
            "requireTransferFailureReply": {"type": "boolean", "default": True},
        },
    ),
    ResourceRule(
        "phonecfg-no-adopt-existing", "No config adopts an existing one (adopt_existing).", rules.no_adopt_existing
    ),
    ResourceRule(
        "phonecfg-config-name-pattern",
        "Config names match the configured pattern (a Python regular expression, matched in full).",
        rules.config_name_pattern,
        options={"pattern": {"type": "string"}},
    ),
)
ONE_OWNER: Final = "phonecfg-one-owner"


def _resource_policy(rule: ResourceRule) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        for message in rule.check(declared(args), args.get_config()):
            report_violation(message, None)

    return ResourceValidationPolicy(
        name=rule.name,
        description=rule.description,
        enforcement_level=rule.level,
        config_schema=PolicyConfigSchema({k: dict(v) for k, v in rule.options.items()}) if rule.options else None,
        validate=validate,
    )


def _one_owner(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    for resource, message in rules.one_owner((declared(r) for r in args.resources), args.get_config()):
        report_violation(message, resource.urn or None)


def policies() -> list[Policy]:
    found: list[Policy] = [_resource_policy(rule) for rule in RESOURCE_RULES]
    found.append(
        StackValidationPolicy(
            name=ONE_OWNER,
            description="One owner per number and per agent attachment: never inline and as a resource, never twice.",
            enforcement_level=EnforcementLevel.ADVISORY,
            validate=_one_owner,
        )
    )
    return found


def serve() -> None:
    """Serve the pack to the engine (blocks; `pulumi_policy` reads the engine address from the command line)."""
    PolicyPack(name=PACK_NAME, policies=policies(), enforcement_level=EnforcementLevel.ADVISORY)
