"""Token endpoints (no auth): IBM Cloud IAM ``/identity/token`` and MCSP ``/siusermgr/api/1.0/apikeys/token``."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from pulumi_phonecfg.emulator.paths import IAM_TOKEN_PATH, MCSP_TOKEN_PATH
from pulumi_phonecfg.emulator.schemas import IamTokenOut, McspTokenIn, McspTokenOut
from pulumi_phonecfg.emulator.state import State

router = APIRouter(tags=["tokens"])


def _iam_error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        status_code=status,
        content={
            "errorCode": code,
            "errorMessage": message,
            "context": {"requestId": str(uuid.uuid4()), "requestType": "incoming.Identity_Token"},
        },
    )


@router.post(IAM_TOKEN_PATH, response_model=IamTokenOut)
async def iam_token(request: Request, state: State) -> Any:
    tokens = state.tokens
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return _iam_error(400, "BXNIM0109E", "Property missing or empty. Operation not allowed.")
    form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
    if form.get("grant_type") != "urn:ibm:params:oauth:grant-type:apikey":
        return _iam_error(400, "BXNIM0103E", "Unsupported grant type.")
    api_key = form.get("apikey", "")
    if not api_key:
        return _iam_error(400, "BXNIM0109E", "Property missing or empty. Operation not allowed.")
    if not tokens.knows_api_key(api_key):
        return _iam_error(400, "BXNIM0415E", "Provided API key could not be found.")
    issued = tokens.issue(api_key, flavour="iam")
    return {
        "access_token": issued.token,
        "refresh_token": "not_supported",
        "token_type": "Bearer",
        "expires_in": issued.lifetime,
        "expiration": issued.expires_at,
        "scope": "ibm openid",
    }


@router.post(MCSP_TOKEN_PATH, response_model=McspTokenOut)
async def mcsp_token(request: Request, state: State) -> Any:
    tokens = state.tokens
    try:
        body = McspTokenIn.model_validate_json(await request.body())
    except ValidationError:
        return JSONResponse(status_code=400, content={"error": "invalid_request", "message": "apikey is required"})
    if not body.apikey or not tokens.knows_api_key(body.apikey):
        return JSONResponse(status_code=401, content={"error": "unauthorized", "message": "Invalid API key"})
    issued = tokens.issue(body.apikey, flavour="mcsp")
    return {"token": issued.token, "token_type": "jwt", "expires_in": issued.lifetime}
