"""A SIP trunk's phone numbers, E6-E9: ``/v1/channels/phone/{config_id}/numbers[/{number}]``.

The number itself is the path key; the raw (``+1...``) and percent-encoded (``%2B1...``) forms both work, unless
``--form-decoded-numbers true``: then a raw ``+`` reads as a space (as a server that form-decodes paths reads it), so
only ``%2B1...`` finds the number.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import unquote_plus

from fastapi import APIRouter, Request
from fastapi.responses import Response

from pulumi_phonecfg.emulator.documents import load_sip, save_checked, touch
from pulumi_phonecfg.emulator.paths import PHONE_PREFIX
from pulumi_phonecfg.emulator.schemas import PhoneNumberIn, PhoneNumberList, PhoneNumberOut, PhoneNumberPatch, dump
from pulumi_phonecfg.emulator.state import State
from pulumi_phonecfg.emulator.validation import (
    Problems,
    check_number_pair,
    conflict,
    not_found,
)

router = APIRouter(prefix=f"{PHONE_PREFIX}/{{config_id}}/numbers", tags=["phone numbers"])


def _path_number(number: str, request: Request, state: State) -> str:
    """The ``{number}`` of the path as this server decodes it: as routed (percent-decoded), or form-decoded from
    the raw path (its last segment: the number is one segment) when ``form_decoded_numbers`` is set."""
    if not state.settings.form_decoded_numbers:
        return number
    raw_path: bytes = request.scope.get("raw_path") or b""
    return unquote_plus(raw_path.decode("latin-1").rsplit("/", 1)[-1]) if raw_path else number


@router.get("", response_model=PhoneNumberList)
def list_phone_numbers(config_id: uuid.UUID, state: State) -> dict[str, Any]:
    return {"phone_numbers": load_sip(state.store, config_id)["phone_numbers"]}


@router.post("", status_code=201, response_model=PhoneNumberOut)
def add_phone_number(config_id: uuid.UUID, body: PhoneNumberIn, request: Request, state: State) -> dict[str, Any]:
    store = state.store
    number = dump(body)
    p = Problems()
    check_number_pair(p, number, [])
    p.raise_if_any()
    with store.transaction():
        doc = load_sip(store, config_id)
        if any(n["phone_number"] == body.phone_number for n in doc["phone_numbers"]):
            conflict(body.phone_number)
        doc["phone_numbers"].append(number)
        save_checked(store, doc, state.settings, request.scope)
    return number


@router.patch("/{number}", response_model=PhoneNumberOut)
def update_phone_number(
    config_id: uuid.UUID, number: str, body: PhoneNumberPatch, request: Request, state: State
) -> dict[str, Any]:
    store = state.store
    number = _path_number(number, request, state)
    fields = body.model_fields_set
    with store.transaction():
        doc = load_sip(store, config_id)
        index = next((i for i, n in enumerate(doc["phone_numbers"]) if n["phone_number"] == number), None)
        if index is None:
            not_found(f"Phone number {number}")
        entry: dict[str, Any] = doc["phone_numbers"][index]
        new_number = body.phone_number
        if new_number != number and any(n["phone_number"] == new_number for n in doc["phone_numbers"]):
            conflict(new_number)
        entry["phone_number"] = new_number
        for key in ("description", "agent_id", "environment_id"):
            value = getattr(body, key)
            if key not in fields or (value is None and not state.settings.null_clears):
                continue
            entry[key] = None if value is None else str(value)
        p = Problems()
        check_number_pair(p, entry, [])
        p.raise_if_any()
        save_checked(store, doc, state.settings, request.scope)
    return entry


@router.delete("/{number}", status_code=204, response_class=Response)
def delete_phone_number(config_id: uuid.UUID, number: str, request: Request, state: State) -> Response:
    store = state.store
    number = _path_number(number, request, state)
    with store.transaction():
        doc = load_sip(store, config_id)
        remaining = [n for n in doc["phone_numbers"] if n["phone_number"] != number]
        if len(remaining) == len(doc["phone_numbers"]):
            not_found(f"Phone number {number}")
        doc["phone_numbers"] = remaining
        touch(doc, state.settings, request.scope)
        store.replace(doc)
    return Response(status_code=204)
