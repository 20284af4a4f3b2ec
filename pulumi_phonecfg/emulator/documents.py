"""Stored phone-config documents: building them from requests and rendering them (secrets masked)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from fastapi.exceptions import RequestValidationError

from pulumi_phonecfg.emulator.schemas import SIP_TRUNK, SecurityIn
from pulumi_phonecfg.emulator.settings import MASKS, EmulatorSettings, MaskStyle
from pulumi_phonecfg.emulator.store import Store
from pulumi_phonecfg.emulator.validation import check_document, check_number_conflicts, not_found

SECRET_FIELDS = ("api_key", "client_secret", "password")
# Set by ``create_app``'s middleware after authentication: the token's subject.
PRINCIPAL_KEY = "phonecfg.principal"


def now_iso(settings: EmulatorSettings) -> str:
    return datetime.fromtimestamp(settings.clock(), UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def principal(scope: Mapping[str, Any]) -> str:
    value = scope.get(PRINCIPAL_KEY)
    return value if isinstance(value, str) else "unknown"


def security_doc(sec: SecurityIn) -> dict[str, Any]:
    """What is stored for a ``security`` object: non-null fields; empty secrets count as absent."""
    doc = sec.model_dump(exclude_none=True, exclude={"password_is_set"})
    for key in SECRET_FIELDS:
        if doc.get(key) == "":
            del doc[key]
    return doc


def render_config(doc: dict[str, Any], mask_style: MaskStyle) -> dict[str, Any]:
    """The API's view of a stored document: every secret replaced by the mask, ``password_is_set`` added."""
    mask = MASKS[mask_style]
    sec: dict[str, Any] = doc["security"]
    out = {k: v for k, v in doc.items() if k != "security"}
    out["security"] = {
        "api_key": mask if sec.get("api_key") else None,
        "client_secret": mask if sec.get("client_secret") else None,
        "secure_trunking": bool(sec.get("secure_trunking", False)),
        "authentication": bool(sec.get("authentication", False)),
        "username": sec.get("username"),
        "password": mask if sec.get("password") else None,
        "password_is_set": bool(sec.get("password")),
    }
    return out


def load(store: Store, config_id: uuid.UUID) -> dict[str, Any]:
    doc = store.get(str(config_id))
    if doc is None:
        not_found(f"Phone config {config_id}")
    return doc


def load_sip(store: Store, config_id: uuid.UUID) -> dict[str, Any]:
    """A SIP trunk's document: the numbers endpoints refuse every other kind with a 422."""
    doc = load(store, config_id)
    if doc["service_provider"] != SIP_TRUNK:
        raise RequestValidationError(
            [
                {
                    "loc": ["path", "config_id"],
                    "msg": "Value error, phone numbers are only supported for sip_trunk phone configs",
                    "type": "value_error",
                }
            ]
        )
    return doc


def touch(doc: dict[str, Any], settings: EmulatorSettings, scope: Mapping[str, Any]) -> None:
    """Record a successful change: ``updated_at`` and ``updated_by``."""
    doc["updated_at"] = now_iso(settings)
    doc["updated_by"] = principal(scope)


def save_checked(store: Store, doc: dict[str, Any], settings: EmulatorSettings, scope: Mapping[str, Any]) -> None:
    """Validate a changed document (alone, then against the other configs' numbers), touch it and store it.

    Call inside ``store.transaction()``.
    """
    check_document(doc)
    check_number_conflicts(store, doc)
    touch(doc, settings, scope)
    store.replace(doc)
