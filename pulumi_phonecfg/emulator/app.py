"""FastAPI application emulating the WxO phone-config API (see docs/emulator.md for every guess).

Layout:

* ``EmulatorMiddleware`` (pure ASGI, outermost user middleware): request log, fault injection,
  ``/instances/{id}`` prefix stripping, ``//`` collapsing, bearer auth. ``/_emulator`` bypasses it.
* ``/v1/channels/phone...``: the phone-config API (E1-E9).
* ``/identity/token`` (IBM Cloud IAM) and ``/siusermgr/api/1.0/apikeys/token`` (MCSP): token endpoints.
* ``/_emulator/...``: unauthenticated admin endpoints for tests.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, NoReturn
from urllib.parse import parse_qs, parse_qsl

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pulumi_phonecfg.emulator.auth import TokenAuthority
from pulumi_phonecfg.emulator.faults import DELIBERATE_DROP, FaultDecision, FaultEngine
from pulumi_phonecfg.emulator.routes import agents as agents_routes
from pulumi_phonecfg.emulator.schemas import (
    GENESYS,
    SIP_TRUNK,
    FaultRule,
    FaultRuleState,
    IamTokenOut,
    McspTokenIn,
    McspTokenOut,
    PhoneConfigCreate,
    PhoneConfigList,
    PhoneConfigOut,
    PhoneConfigUpdate,
    PhoneNumberIn,
    PhoneNumberList,
    PhoneNumberOut,
    PhoneNumberPatch,
    SecurityIn,
    dump,
)
from pulumi_phonecfg.emulator.settings import (
    DEFAULT_INSTANCE_ID,
    DEFAULT_SUBSCRIPTION_ID,
    MASKS,
    EmulatorSettings,
    MaskStyle,
)
from pulumi_phonecfg.emulator.state import EmulatorState, RequestLog
from pulumi_phonecfg.emulator.store import Store

__all__ = ["DEFAULT_INSTANCE_ID", "DEFAULT_SUBSCRIPTION_ID", "EmulatorSettings", "create_app"]

IAM_TOKEN_PATH = "/identity/token"
MCSP_TOKEN_PATH = "/siusermgr/api/1.0/apikeys/token"
ADMIN_PREFIX = "/_emulator"
API_PATH_RE = re.compile(r"^/v1/+channels/+phone(/|$)")
PRINCIPAL_KEY = "phonecfg.principal"
SECRET_FIELDS = ("api_key", "client_secret", "password")
LIST_FIELDS = ("custom_invite_headers", "attached_environments", "phone_numbers")
SIP_BOOLEANS = ("put_caller_on_hold_on_transfer", "send_provisional_response")

log = logging.getLogger("pulumi_phonecfg.emulator")


# ------------------------------------------------------------------------------------------ errors


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


def _validation_response(errors: Sequence[Any]) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": jsonable_encoder([_clean_error(e) for e in errors])})


def _not_found(what: str) -> NoReturn:
    raise HTTPException(status_code=404, detail=f"{what} not found")


def _conflict(number: str) -> NoReturn:
    raise HTTPException(
        status_code=409, detail=f"Phone number {number} is already assigned to a phone config in this tenant"
    )


# ---------------------------------------------------------------------------------------- documents


def _now_iso(clock: Callable[[], float]) -> str:
    return datetime.fromtimestamp(clock(), UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _security_doc(sec: SecurityIn) -> dict[str, Any]:
    """What is stored for a ``security`` object: non-null fields; empty secrets count as absent."""
    doc = sec.model_dump(exclude_none=True, exclude={"password_is_set"})
    for key in SECRET_FIELDS:
        if doc.get(key) == "":
            del doc[key]
    return doc


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
        _check_number_pair(p, num, ["phone_numbers", i])
    p.raise_if_any()


def _check_number_pair(p: Problems, num: dict[str, Any], loc: list[str | int]) -> None:
    if (num.get("agent_id") is None) != (num.get("environment_id") is None):
        missing = "agent_id" if num.get("agent_id") is None else "environment_id"
        p.add([*loc, missing], "Value error, agent_id and environment_id must be given together")


def _check_number_conflicts(store: Store, doc: dict[str, Any]) -> None:
    mine = {n["phone_number"] for n in doc["phone_numbers"]}
    if not mine:
        return
    for other in store.list():
        if other["id"] == doc["id"]:
            continue
        for num in other["phone_numbers"]:
            if num["phone_number"] in mine:
                _conflict(num["phone_number"])


# ---------------------------------------------------------------------------------------- rendering


def render_config(doc: dict[str, Any], mask_style: MaskStyle) -> dict[str, Any]:
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


# ------------------------------------------------------------------------------------------- routes


def _principal(request: Request) -> str:
    value = request.scope.get(PRINCIPAL_KEY)
    return value if isinstance(value, str) else "unknown"


def _api_router(state: EmulatorState) -> APIRouter:
    router = APIRouter(prefix="/v1/channels/phone", tags=["phone"])
    settings = state.settings
    store = state.store

    def load(config_id: uuid.UUID) -> dict[str, Any]:
        doc = store.get(str(config_id))
        if doc is None:
            _not_found(f"Phone config {config_id}")
        return doc

    def load_sip(config_id: uuid.UUID) -> dict[str, Any]:
        doc = load(config_id)
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

    def touch(doc: dict[str, Any], request: Request) -> None:
        doc["updated_at"] = _now_iso(settings.clock)
        doc["updated_by"] = _principal(request)

    def out(doc: dict[str, Any]) -> dict[str, Any]:
        return render_config(doc, settings.mask_style)

    @router.post("", status_code=201, response_model=PhoneConfigOut)
    def create_phone_config(body: PhoneConfigCreate, request: Request) -> dict[str, Any]:
        now = _now_iso(settings.clock)
        who = _principal(request)
        doc: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "tenant_id": settings.tenant_id,
            "name": body.name,
            "description": body.description,
            "service_provider": body.service_provider,
            "security": _security_doc(body.security),
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
        return out(doc)

    @router.get("", response_model=PhoneConfigList)
    def list_phone_configs() -> dict[str, Any]:
        return {"phones": [out(d) for d in store.list()]}

    @router.get("/{config_id}", response_model=PhoneConfigOut)
    def get_phone_config(config_id: uuid.UUID) -> dict[str, Any]:
        return out(load(config_id))

    @router.patch("/{config_id}", response_model=PhoneConfigOut)
    def update_phone_config(
        config_id: uuid.UUID, body: PhoneConfigUpdate, request: Request, append: bool = Query(False)
    ) -> dict[str, Any]:
        fields = body.model_fields_set
        p = Problems()
        for key in ("name", "service_provider", "security"):
            if key in fields and getattr(body, key) is None:
                p.add([key], "Value error, field may not be null", "value_error")
        p.raise_if_any()
        with store.transaction():
            doc = load(config_id)
            if "name" in fields:
                doc["name"] = body.name
            if "description" in fields:
                doc["description"] = body.description
            if "service_provider" in fields:
                doc["service_provider"] = body.service_provider
            if body.security is not None:
                doc["security"] = _security_doc(body.security)
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
            check_document(doc)
            _check_number_conflicts(store, doc)
            touch(doc, request)
            store.replace(doc)
        return out(doc)

    @router.delete("/{config_id}", status_code=204, response_class=Response)
    def delete_phone_config(config_id: uuid.UUID) -> Response:
        if not store.delete(str(config_id)):
            _not_found(f"Phone config {config_id}")
        return Response(status_code=204)

    @router.get("/{config_id}/numbers", response_model=PhoneNumberList)
    def list_phone_numbers(config_id: uuid.UUID) -> dict[str, Any]:
        return {"phone_numbers": load_sip(config_id)["phone_numbers"]}

    @router.post("/{config_id}/numbers", status_code=201, response_model=PhoneNumberOut)
    def add_phone_number(config_id: uuid.UUID, body: PhoneNumberIn, request: Request) -> dict[str, Any]:
        number = dump(body)
        p = Problems()
        _check_number_pair(p, number, [])
        p.raise_if_any()
        with store.transaction():
            doc = load_sip(config_id)
            if any(n["phone_number"] == body.phone_number for n in doc["phone_numbers"]):
                _conflict(body.phone_number)
            doc["phone_numbers"].append(number)
            check_document(doc)
            _check_number_conflicts(store, doc)
            touch(doc, request)
            store.replace(doc)
        return number

    @router.patch("/{config_id}/numbers/{number}", response_model=PhoneNumberOut)
    def update_phone_number(
        config_id: uuid.UUID, number: str, body: PhoneNumberPatch, request: Request
    ) -> dict[str, Any]:
        fields = body.model_fields_set
        with store.transaction():
            doc = load_sip(config_id)
            index = next((i for i, n in enumerate(doc["phone_numbers"]) if n["phone_number"] == number), None)
            if index is None:
                _not_found(f"Phone number {number}")
            entry: dict[str, Any] = doc["phone_numbers"][index]
            new_number = body.phone_number
            if new_number != number and any(n["phone_number"] == new_number for n in doc["phone_numbers"]):
                _conflict(new_number)
            entry["phone_number"] = new_number
            for key in ("description", "agent_id", "environment_id"):
                if key in fields:
                    value = getattr(body, key)
                    entry[key] = None if value is None else str(value)
            p = Problems()
            _check_number_pair(p, entry, [])
            p.raise_if_any()
            check_document(doc)
            _check_number_conflicts(store, doc)
            touch(doc, request)
            store.replace(doc)
        return entry

    @router.delete("/{config_id}/numbers/{number}", status_code=204, response_class=Response)
    def delete_phone_number(config_id: uuid.UUID, number: str, request: Request) -> Response:
        with store.transaction():
            doc = load_sip(config_id)
            remaining = [n for n in doc["phone_numbers"] if n["phone_number"] != number]
            if len(remaining) == len(doc["phone_numbers"]):
                _not_found(f"Phone number {number}")
            doc["phone_numbers"] = remaining
            touch(doc, request)
            store.replace(doc)
        return Response(status_code=204)

    return router


def _iam_error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        status_code=status,
        content={
            "errorCode": code,
            "errorMessage": message,
            "context": {"requestId": str(uuid.uuid4()), "requestType": "incoming.Identity_Token"},
        },
    )


def _token_router(state: EmulatorState) -> APIRouter:
    router = APIRouter(tags=["tokens"])
    tokens = state.tokens

    @router.post(IAM_TOKEN_PATH, response_model=IamTokenOut)
    async def iam_token(request: Request) -> Any:
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
    async def mcsp_token(request: Request) -> Any:
        try:
            body = McspTokenIn.model_validate_json(await request.body())
        except ValidationError:
            return JSONResponse(status_code=400, content={"error": "invalid_request", "message": "apikey is required"})
        if not body.apikey or not tokens.knows_api_key(body.apikey):
            return JSONResponse(status_code=401, content={"error": "unauthorized", "message": "Invalid API key"})
        issued = tokens.issue(body.apikey, flavour="mcsp")
        return {"token": issued.token, "token_type": "jwt", "expires_in": issued.lifetime}

    return router


def _admin_router(state: EmulatorState) -> APIRouter:
    router = APIRouter(prefix=ADMIN_PREFIX, include_in_schema=False)

    @router.get("/health")
    def health() -> dict[str, Any]:
        return {"ok": True}

    @router.get("/requests")
    def get_requests() -> list[dict[str, Any]]:
        return state.requests.snapshot()

    @router.delete("/requests", status_code=204, response_class=Response)
    def clear_requests() -> Response:
        state.requests.clear()
        return Response(status_code=204)

    @router.get("/faults", response_model=list[FaultRuleState])
    def get_faults() -> list[FaultRuleState]:
        return state.faults.rules()

    @router.post("/faults", response_model=list[FaultRuleState])
    def set_faults(rules: list[FaultRule]) -> list[FaultRuleState]:
        try:
            state.faults.set_rules(rules)
        except re.error as exc:
            raise RequestValidationError(
                [{"loc": ["body", "path"], "msg": f"invalid regex: {exc}", "type": "value_error"}]
            ) from exc
        return state.faults.rules()

    @router.delete("/faults", status_code=204, response_class=Response)
    def clear_faults() -> Response:
        state.faults.clear()
        return Response(status_code=204)

    @router.post("/tokens/expire", status_code=204, response_class=Response)
    def expire_tokens() -> Response:
        state.tokens.expire_all()
        return Response(status_code=204)

    @router.post("/reset", status_code=204, response_class=Response)
    def reset() -> Response:
        state.store.clear()
        return Response(status_code=204)

    return router


# --------------------------------------------------------------------------------------- middleware

_INSTANCE_RE = re.compile(r"^/instances/([^/]+)(/.*)?$")
_PASSTHROUGH = ("/docs", "/redoc", "/openapi.json")


def _parse_body(body: bytes, content_type: str) -> Any:
    if not body:
        return None
    text = body.decode("utf-8", "replace")
    ctype = content_type.split(";")[0].strip().lower()
    if ctype == "application/x-www-form-urlencoded":
        return dict(parse_qsl(text, keep_blank_values=True))
    try:
        return json.loads(text)
    except ValueError:
        return text


def _parse_query(query: bytes) -> dict[str, Any]:
    parsed = parse_qs(query.decode("latin-1"), keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


class EmulatorMiddleware:
    """Request log, faults, instance prefix, slash collapsing and bearer auth for non-admin routes."""

    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(ADMIN_PREFIX + "/") or path in _PASSTHROUGH:
            if scope["type"] == "http":
                status: list[int] = []
                await self.app(scope, receive, _status_spy(send, status))
                log.info("%s %s %s", scope["method"], path, status[0] if status else "-")
            else:
                await self.app(scope, receive, send)
            return
        await self._handle(scope, receive, send)

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        method: str = scope["method"]
        raw_path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1").split("?")[0]
        path: str = scope["path"]
        instance_ok = True
        m = _INSTANCE_RE.match(path)
        if m is not None:
            instance_ok = m.group(1).lower() == self.state.settings.instance_id.lower()
            path = m.group(2) or "/"
            raw_m = _INSTANCE_RE.match(raw_path)
            raw_path = (raw_m.group(2) or "/") if raw_m is not None else path
        body = await _read_body(receive)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        entry: dict[str, Any] = {
            "method": method,
            "path": raw_path,
            "query": _parse_query(scope.get("query_string", b"")),
            "status": None,
            "body": _parse_body(body, headers.get("content-type", "")),
            "fault": None,
        }
        self.state.requests.add(entry)
        decision = self.state.faults.decide(method, raw_path)
        if decision is not None:
            entry["fault"] = decision.kind
            if decision.delay > 0:
                await asyncio.sleep(decision.delay)

        collapsed = re.sub(r"/{2,}", "/", path)
        inner_scope = dict(scope)
        inner_scope["path"] = collapsed
        inner_scope["raw_path"] = re.sub(r"/{2,}", "/", raw_path).encode("latin-1")

        async def process(target_send: Send) -> int | None:
            status: list[int] = []
            spy = _status_spy(target_send, status)
            if not instance_ok:
                await _send_json(spy, 404, {"detail": "Instance not found"})
            elif collapsed not in (IAM_TOKEN_PATH, MCSP_TOKEN_PATH) and not self._authorize(inner_scope, headers):
                await _send_json(
                    spy,
                    401,
                    {"detail": "Missing, invalid or expired bearer token"},
                    extra_headers=[(b"www-authenticate", b"Bearer")],
                )
            else:
                await self.app(inner_scope, _replay(body, receive), spy)
            return status[0] if status else None

        kind = decision.kind if decision is not None else None
        if decision is None or kind == "delay":
            entry["status"] = await process(send)
        elif kind == "status":
            await _send_fault(send, decision)
            entry["status"] = decision.status
        elif kind == "drop":
            await _drop(send)
        elif kind == "commit_then_fail":
            entry["handler_status"] = await process(_discard)
            await _send_fault(send, decision)
            entry["status"] = decision.status
        else:  # commit_then_drop
            entry["handler_status"] = await process(_discard)
            await _drop(send)
        log.info("%s %s %s%s", method, raw_path, entry["status"] or "-", f" fault={kind}" if kind is not None else "")

    def _authorize(self, scope: Scope, headers: dict[str, str]) -> bool:
        principal = self.state.tokens.authenticate(headers.get("authorization"))
        if principal is None:
            return False
        scope[PRINCIPAL_KEY] = principal
        return True


def _status_spy(send: Send, sink: list[int]) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            sink.append(int(message["status"]))
        await send(message)

    return wrapped


async def _discard(message: Message) -> None:
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def wrapped() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return wrapped


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _send_json(send: Send, status: int, content: Any, extra_headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    payload = json.dumps(content).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *extra_headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload, "more_body": False})


async def _send_fault(send: Send, decision: FaultDecision) -> None:
    headers: list[tuple[bytes, bytes]] = []
    if decision.retry_after is not None:
        headers.append((b"retry-after", str(decision.retry_after).encode()))
    await _send_json(send, decision.status, {"detail": f"Injected fault: HTTP {decision.status}"}, headers)


async def _drop(send: Send) -> None:
    """Announce a body, send a fragment, return: uvicorn then closes the socket mid-response."""
    DELIBERATE_DROP.set(True)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")],
        }
    )
    await send({"type": "http.response.body", "body": b'{"', "more_body": True})


# ---------------------------------------------------------------------------------------------- app


def create_app(settings: EmulatorSettings) -> FastAPI:
    """Build the emulator application (opens/creates the SQLite database at ``settings.db_path``)."""
    if settings.mask_style not in MASKS:
        raise ValueError(f"unknown mask style {settings.mask_style!r}")
    store = Store(settings.db_path)
    state = EmulatorState(
        settings=settings,
        store=store,
        tokens=TokenAuthority(
            store,
            static_tokens=settings.tokens,
            api_keys=settings.api_keys,
            lifetime=settings.token_lifetime,
            subscription_id=settings.subscription_id,
            clock=settings.clock,
        ),
        faults=FaultEngine(settings.fault_rate, settings.fault_seed),
        requests=RequestLog(),
    )
    app = FastAPI(
        title="phonecfg emulator (WxO phone-config API)",
        version="0.1.0",
        redirect_slashes=False,
    )
    app.state.emulator = state

    @app.exception_handler(RequestValidationError)
    async def _on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_response(exc.errors())

    app.include_router(_api_router(state))
    app.include_router(agents_routes.router)
    app.include_router(_token_router(state))
    app.include_router(_admin_router(state))
    app.add_middleware(EmulatorMiddleware, state=state)
    return app
