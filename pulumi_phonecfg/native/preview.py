"""What a create or an update will return, planned without a request: the native plugin's preview
(`supportsPreview`). Without it the engine marks every output of a changed resource unknown in a preview, and a
resource reading `sipUri`, `tenantId` or `connectors` plans an update it will not need.

The plan is the prior outputs with the checked inputs laid over, in canonical form, as the update's response
would make them: a field the program removed takes its empty form, a shared list it leaves out (numbers,
attachments) keeps what the config has. Outputs the provider derives are derived again (`connectors`); what only
the server knows stays as it was (`tenantId`, `createdOn`, so `sipUri` too), except `updatedAt`, which the update
changes: unknown. A new config has no prior outputs: every output is unknown. Credentials never appear: a
credential's fingerprint is kept while it matches and unknown once it changes (a new one is made with a new salt).
Input values still unknown stay unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pulumi.output import Unknown, contains_unknowns

from pulumi_phonecfg.core.schema.api_documents import config_kind
from pulumi_phonecfg.core.schema.canonical import canonical_field, fields_for
from pulumi_phonecfg.core.schema.fields import PHONE_CONFIG
from pulumi_phonecfg.core.schema.fingerprints import SECRET_FIELDS, fingerprint_matches
from pulumi_phonecfg.core.schema.integration import connectors
from pulumi_phonecfg.core.schema.models import GENESYS, SHARED_LIST_FIELDS
from pulumi_phonecfg.native.names import keys_to_api, keys_to_program

_CHANGED_BY_AN_UPDATE: Final = ("updated_at",)


def _unknown() -> Unknown:
    return Unknown()  # type: ignore[no-untyped-call]  # the SDK's constructor has no annotations


def planned_config_update(config_id: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
    """The outputs an update of `config_id` from `olds` (prior outputs) to `news` (checked inputs) will return.
    Both in program names, as is the result."""
    old, new = keys_to_api(olds), keys_to_api(news)
    kind = config_kind(new) if isinstance(new.get("service_provider"), str) else config_kind(old)
    planned = dict(old)
    for name in fields_for(kind):
        if name in new:
            planned[name] = new[name]
        elif name not in SHARED_LIST_FIELDS:
            planned[name] = canonical_field(name, None, kind)
    planned["security"] = _planned_security(new.get("security"), old.get("security"))
    if kind == GENESYS:
        attached = planned.get("attached_environments") or []
        planned["connectors"] = _unknown() if contains_unknowns(attached) else connectors(config_id, attached)
    planned.update({name: _unknown() for name in _CHANGED_BY_AN_UPDATE})
    return dict(keys_to_program({k: v for k, v in planned.items() if v is not None}))


def planned_config_create(news: Mapping[str, Any]) -> dict[str, Any]:
    """The outputs a create from `news` (checked inputs) will return: the inputs, every other output unknown."""
    new = keys_to_api(news)
    kind = config_kind(new) if isinstance(new.get("service_provider"), str) else None
    planned: dict[str, Any] = {
        name: new[name] if name in new else canonical_field(name, None, kind or "")
        for name in (fields_for(kind) if kind else new)
    }
    planned["security"] = _planned_security(new.get("security"), None)
    planned.update({f.name: _unknown() for f in PHONE_CONFIG.outputs if kind is None or kind in f.kinds})
    return dict(keys_to_program({k: v for k, v in planned.items() if v is not None}))


def _planned_security(desired: Any, old: Any) -> Any:
    """The `security` output for `desired` inputs: plain fields as declared, credentials as fingerprints (kept
    while they match the prior output's, unknown otherwise)."""
    if contains_unknowns(desired):
        return _unknown()
    desired = desired if isinstance(desired, Mapping) else {}
    previous = old.get("fingerprints") if isinstance(old, Mapping) else None
    remembered = previous if isinstance(previous, Mapping) else {}
    planned: dict[str, Any] = {k: v for k, v in desired.items() if k not in SECRET_FIELDS}
    fingerprints = {
        key: remembered[key] if fingerprint_matches(str(desired[key]), remembered.get(key)) else _unknown()
        for key in SECRET_FIELDS
        if desired.get(key)
    }
    if fingerprints:
        planned["fingerprints"] = fingerprints
    return planned
