"""Hand-written validation: the cross-field rules of a phone-config document and the 422 body shape.

The request models (``schemas.py``) check single fields; these rules need the whole document (a PATCH is
checked after it is applied to the stored one) and ``service_provider``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any, NoReturn

from fastapi import HTTPException
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from pulumi_phonecfg.emulator.schemas import GENESYS
from pulumi_phonecfg.emulator.store import Store

SIP_BOOLEANS = ("put_caller_on_hold_on_transfer", "send_provisional_response")


class Problems:
    """Collects hand-written validation errors and raises them as a FastAPI-shaped 422."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, loc: Sequence[str | int], msg: str, type_: str = "value_error") -> None:
        self.items.append({"loc": ["body", *loc], "msg": msg, "type": type_})

    def raise_if_any(self) -> None:
        if self.items:
            raise RequestValidationError(self.items)


def _clean_error(err: Any) -> dict[str, Any]:
    """Keep only ``loc``/``msg``/``type``: ``input`` (and ``ctx``/``url``) may echo a secret."""
    if not isinstance(err, dict):
        return {"loc": [], "msg": "Invalid request", "type": "value_error"}
    return {
        "loc": [x if isinstance(x, int) else str(x) for x in err.get("loc", ())],
        "msg": str(err.get("msg", "")),
        "type": str(err.get("type", "value_error")),
    }


def validation_response(errors: Sequence[Any]) -> JSONResponse:
    """The 422 for every validation failure, FastAPI's or ours."""
    return JSONResponse(status_code=422, content={"detail": jsonable_encoder([_clean_error(e) for e in errors])})


def not_found(what: str) -> NoReturn:
    raise HTTPException(status_code=404, detail=f"{what} not found")


def conflict(number: str) -> NoReturn:
    raise HTTPException(
        status_code=409, detail=f"Phone number {number} is already assigned to a phone config in this tenant"
    )


def _is_base64(value: str) -> bool:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(value) % 4 == 0


def check_document(doc: dict[str, Any]) -> None:
    """Cross-field rules on a complete (created or patched) document; raises a 422."""
    p = Problems()
    sec: dict[str, Any] = doc["security"]
    kind = doc["service_provider"]
    if kind == GENESYS:
        if not sec.get("api_key"):
            p.add(["security", "api_key"], "Field required for genesys_audio_connector", "missing")
        if not sec.get("client_secret"):
            p.add(["security", "client_secret"], "Field required for genesys_audio_connector", "missing")
        elif not _is_base64(sec["client_secret"]):
            p.add(["security", "client_secret"], "Value error, client_secret must be base64-encoded")
        for key in ("secure_trunking", "authentication"):
            if sec.get(key):
                p.add(["security", key], f"Value error, {key} is only supported for sip_trunk")
        for key in ("username", "password"):
            if sec.get(key):
                p.add(["security", key], f"Value error, {key} is only supported for sip_trunk")
        if doc["custom_invite_headers"]:
            p.add(["custom_invite_headers"], "Value error, custom_invite_headers is only supported for sip_trunk")
        if doc["error_handling"] is not None:
            p.add(["error_handling"], "Value error, error_handling is only supported for sip_trunk")
        for key in SIP_BOOLEANS:
            if doc[key] is False:
                p.add([key], f"Value error, {key} is only supported for sip_trunk")
        if doc["phone_numbers"]:
            p.add(["phone_numbers"], "Value error, phone numbers are only supported for sip_trunk")
    else:
        for key in ("api_key", "client_secret"):
            if sec.get(key):
                p.add(["security", key], f"Value error, {key} is only supported for genesys_audio_connector")
        if sec.get("authentication"):
            if not sec.get("username"):
                p.add(["security", "username"], "Field required when authentication is enabled", "missing")
            if not sec.get("password"):
                p.add(
                    ["security", "password"],
                    "Field required when authentication is enabled (PATCH replaces security wholesale: "
                    "resend the password)",
                    "missing",
                )
        if doc["attached_environments"]:
            p.add(
                ["attached_environments"],
                "Value error, attached_environments is only supported for genesys_audio_connector",
            )
    seen_headers: set[str] = set()
    for i, header in enumerate(doc["custom_invite_headers"]):
        lowered = header["name"].lower()
        if lowered in seen_headers:
            p.add(["custom_invite_headers", i, "name"], "Value error, duplicate header name")
        seen_headers.add(lowered)
    seen_pairs: set[tuple[str, str]] = set()
    for i, att in enumerate(doc["attached_environments"]):
        pair = (att["agent_id"], att["environment_id"])
        if pair in seen_pairs:
            p.add(["attached_environments", i], "Value error, duplicate (agent_id, environment_id) attachment")
        seen_pairs.add(pair)
    seen_numbers: set[str] = set()
    for i, num in enumerate(doc["phone_numbers"]):
        if num["phone_number"] in seen_numbers:
            p.add(["phone_numbers", i, "phone_number"], "Value error, duplicate phone number")
        seen_numbers.add(num["phone_number"])
        check_number_pair(p, num, ["phone_numbers", i])
    p.raise_if_any()


def check_number_pair(p: Problems, num: dict[str, Any], loc: list[str | int]) -> None:
    """A number carries ``agent_id`` and ``environment_id`` together or neither."""
    if (num.get("agent_id") is None) != (num.get("environment_id") is None):
        missing = "agent_id" if num.get("agent_id") is None else "environment_id"
        p.add([*loc, missing], "Value error, agent_id and environment_id must be given together")


def check_number_conflicts(store: Store, doc: dict[str, Any]) -> None:
    """409 if one of ``doc``'s numbers belongs to another config (numbers are unique per tenant)."""
    mine = {n["phone_number"] for n in doc["phone_numbers"]}
    if not mine:
        return
    for other in store.list():
        if other["id"] == doc["id"]:
            continue
        for num in other["phone_numbers"]:
            if num["phone_number"] in mine:
                conflict(num["phone_number"])
