"""``/_emulator/...``: test controls (identity, request log, faults, token expiry, reset).

``health`` and ``identity`` are open (a start-up probe, a pid and a database path). Every other control needs the
emulator's own static token (``--token`` / ``$PHONECFG_EMULATOR_TOKEN``) as a bearer: the request log holds every
request body, credentials included, and the others change what every client sees. A token issued for an API key
(a tenant's) is not enough.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from pulumi_phonecfg.emulator.auth import STATIC_TOKEN_SUBJECT
from pulumi_phonecfg.emulator.paths import ADMIN_PREFIX
from pulumi_phonecfg.emulator.schemas import FaultRule, FaultRuleState
from pulumi_phonecfg.emulator.state import State


def emulator_token(state: State, authorization: Annotated[str | None, Header()] = None) -> None:
    """Let through only a request bearing one of the emulator's static tokens."""
    if state.tokens.authenticate(authorization) != STATIC_TOKEN_SUBJECT:
        raise HTTPException(
            401,
            "the emulator's admin endpoints need its token (--token / $PHONECFG_EMULATOR_TOKEN) as a bearer",
            headers={"WWW-Authenticate": "Bearer"},
        )


router = APIRouter(prefix=ADMIN_PREFIX, include_in_schema=False)
guarded = APIRouter(prefix=ADMIN_PREFIX, include_in_schema=False, dependencies=[Depends(emulator_token)])


@router.get("/health")
def health() -> dict[str, Any]:
    return {"ok": True}


@router.get("/identity")
def identity(state: State) -> dict[str, Any]:
    # Which emulator answers on this port, as the serving process itself says: scripts/demo_emulator.py
    # recognises "its" emulator by the database (resolved path) and stops it by this pid.
    db = str(state.settings.db_path)
    return {
        "pid": os.getpid(),
        "db": db if db == ":memory:" else str(Path(db).resolve()),
        "instance_id": state.settings.instance_id,
    }


@guarded.get("/requests")
def get_requests(state: State) -> list[dict[str, Any]]:
    return state.requests.snapshot()


@guarded.delete("/requests", status_code=204, response_class=Response)
def clear_requests(state: State) -> Response:
    state.requests.clear()
    return Response(status_code=204)


@guarded.get("/faults", response_model=list[FaultRuleState])
def get_faults(state: State) -> list[FaultRuleState]:
    return state.faults.rules()


@guarded.post("/faults", response_model=list[FaultRuleState])
def set_faults(rules: list[FaultRule], state: State) -> list[FaultRuleState]:
    try:
        state.faults.set_rules(rules)
    except re.error as exc:
        raise RequestValidationError(
            [{"loc": ["body", "path"], "msg": f"invalid regex: {exc}", "type": "value_error"}]
        ) from exc
    return state.faults.rules()


@guarded.delete("/faults", status_code=204, response_class=Response)
def clear_faults(state: State) -> Response:
    state.faults.clear()
    return Response(status_code=204)


@guarded.post("/tokens/expire", status_code=204, response_class=Response)
def expire_tokens(state: State) -> Response:
    state.tokens.expire_all()
    return Response(status_code=204)


@guarded.post("/reset", status_code=204, response_class=Response)
def reset(state: State) -> Response:
    state.store.clear()
    return Response(status_code=204)
