"""Phone configs, E1-E5: ``/v1/channels/phone[/{config_id}]``."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from pulumi_phonecfg.emulator.documents import load, now_iso, principal, render_config, save_checked, security_doc
from pulumi_phonecfg.emulator.paths import PHONE_PREFIX
from pulumi_phonecfg.emulator.schemas import (
    PhoneConfigCreate,
    PhoneConfigList,
    PhoneConfigOut,
    PhoneConfigUpdate,
    dump,
)
from pulumi_phonecfg.emulator.state import State
from pulumi_phonecfg.emulator.validation import (
    SIP_BOOLEANS,
    Problems,
    check_document,
    not_found,
)

LIST_FIELDS = ("custom_invite_headers", "attached_environments", "phone_numbers")

router = APIRouter(prefix=PHONE_PREFIX, tags=["phone"])


@router.post("", status_code=201, response_model=PhoneConfigOut)
def create_phone_config(body: PhoneConfigCreate, request: Request, state: State) -> dict[str, Any]:
    settings, store = state.settings, state.store
    now = now_iso(settings)
    who = principal(request.scope)
    doc: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "tenant_id": settings.tenant_id,
        "name": body.name,
        "description": body.description,
        "service_provider": body.service_provider,
        "security": security_doc(body.security),
        "custom_invite_headers": [dump(h) for h in body.custom_invite_headers or []],
        "put_caller_on_hold_on_transfer": body.put_caller_on_hold_on_transfer,
        "send_provisional_response": body.send_provisional_response,
        "error_handling": dump(body.error_handling) if body.error_handling is not None else None,
        "attached_environments": [],
        "phone_numbers": [],
        "created_on": now,
        "created_by": who,
        "updated_at": now,
        "updated_by": who,
    }
    check_document(doc)
    with store.transaction():
        current = store.count()
        if settings.max_configs is not None and current >= settings.max_configs:
            raise HTTPException(
                status_code=429,
                detail={
                    "code": "RESOURCE_QUOTA_EXCEEDED",
                    "resource": "phone_config",
                    "current": current,
                    "requested": 1,
                    "limit": settings.max_configs,
                    "message": f"Phone config quota exceeded: {current} of {settings.max_configs} in use",
                },
            )
        store.insert(doc)
    return render_config(doc, settings.mask_style)


@router.get("", response_model=PhoneConfigList)
def list_phone_configs(state: State) -> dict[str, Any]:
    return {"phones": [render_config(d, state.settings.mask_style) for d in state.store.list()]}


@router.get("/{config_id}", response_model=PhoneConfigOut)
def get_phone_config(config_id: uuid.UUID, state: State) -> dict[str, Any]:
    return render_config(load(state.store, config_id), state.settings.mask_style)


@router.patch("/{config_id}", response_model=PhoneConfigOut)
def update_phone_config(
    config_id: uuid.UUID,
    body: PhoneConfigUpdate,
    request: Request,
    state: State,
    append: Annotated[bool, Query()] = False,
) -> dict[str, Any]:
    store = state.store
    fields = body.model_fields_set
    p = Problems()
    for key in ("name", "service_provider", "security"):
        if key in fields and getattr(body, key) is None:
            p.add([key], "Value error, field may not be null", "value_error")
    p.raise_if_any()
    with store.transaction():
        doc = load(store, config_id)
        if "name" in fields:
            doc["name"] = body.name
        if "description" in fields:
            doc["description"] = body.description
        if "service_provider" in fields:
            doc["service_provider"] = body.service_provider
        if body.security is not None:
            doc["security"] = security_doc(body.security)
        if "error_handling" in fields:
            doc["error_handling"] = dump(body.error_handling) if body.error_handling is not None else None
        for key in SIP_BOOLEANS:
            if key in fields:
                doc[key] = getattr(body, key)
        for key in LIST_FIELDS:
            if key not in fields:
                continue
            items: list[BaseModel] | None = getattr(body, key)
            dumped = [dump(i) for i in items or []]
            doc[key] = doc[key] + dumped if append else dumped
        save_checked(store, doc, state.settings, request.scope)
    return render_config(doc, state.settings.mask_style)


@router.delete("/{config_id}", status_code=204, response_class=Response)
def delete_phone_config(config_id: uuid.UUID, state: State) -> Response:
    if not state.store.delete(str(config_id)):
        not_found(f"Phone config {config_id}")
    return Response(status_code=204)
