"""API documents: a config's kind and name as the API states them, a config document turned into the resource's
outputs (canonical form, credentials as fingerprints), and the value to send for a field.

Credentials are the exception to "outputs are what the API returns": inputs carry them in plaintext (stored
encrypted by Pulumi), outputs carry only salted fingerprints (`fingerprints.py`), because the API never returns
them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_phonecfg.core.schema.canonical import canonical_field, fields_for
from pulumi_phonecfg.core.schema.fingerprints import SECRET_FIELDS, security_output
from pulumi_phonecfg.core.schema.models import SERVER_FIELDS, SIP_TRUNK


def config_kind(document: Mapping[str, Any]) -> str:
    """A document's `service_provider`; the server's default when it is absent."""
    return str(document.get("service_provider") or SIP_TRUNK)


def config_name(document: Mapping[str, Any]) -> str:
    return str(document.get("name") or "").strip()


def outputs_from_api(
    document: Mapping[str, Any], *, desired_security: Mapping[str, Any] | None, fingerprints: Mapping[str, Any]
) -> dict[str, Any]:
    """Outputs in the canonical shape, from a config as the API returns it.

    `desired_security` is what was just written (create/update) and `fingerprints` what state remembers; on
    refresh `desired_security` is None and the remembered fingerprints are carried forward, except a password
    fingerprint when the API says no password is stored (`password_is_set: false`): that is drift we can see.
    """
    kind = config_kind(document)
    outputs: dict[str, Any] = {}
    for name in fields_for(kind):
        if name == "security":
            continue
        value = canonical_field(name, document.get(name), kind)
        if value is not None:
            outputs[name] = value
    if isinstance(outputs.get("name"), str):
        outputs["name"] = outputs["name"].strip()
    outputs["security"] = _security_from_api(document.get("security"), kind, desired_security, fingerprints)
    for name in SERVER_FIELDS:
        if document.get(name) is not None:
            outputs[name] = document[name]
    return outputs


def _security_from_api(
    returned: Any, kind: str, desired: Mapping[str, Any] | None, fingerprints: Mapping[str, Any]
) -> dict[str, Any]:
    returned = returned if isinstance(returned, Mapping) else {}
    plain_keys = ("secure_trunking", "authentication", "username") if kind == SIP_TRUNK else ()
    seen = {k: returned.get(k) for k in plain_keys}
    security = canonical_field("security", seen, kind)
    if desired is not None:
        kept = security_output(desired, fingerprints)
        remembered = dict(kept.get("fingerprints", {}))
    else:
        remembered = {k: v for k, v in fingerprints.items() if k in SECRET_FIELDS}
        if returned.get("password_is_set") is False:
            remembered.pop("password", None)
    if remembered:
        security["fingerprints"] = remembered
    return dict(security)


def api_value(name: str, value: Any) -> Any:
    """The value to send for a top-level field; None for a cleared field."""
    if name in ("phone_numbers", "attached_environments", "custom_invite_headers"):
        return list(value or [])
    if name == "error_handling":
        return value or {}
    return value
