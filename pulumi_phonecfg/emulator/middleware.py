"""``EmulatorMiddleware``: what happens to every API request before (and instead of) routing.

Pure ASGI, outermost user middleware. For every request outside ``/_emulator`` and the docs pages:

1. strip the API root (``/instances/{id}`` or ``/api``, see ``paths``); an unknown instance is a 404;
2. log the request (path relative to the root, as sent: ``%2B`` and ``//`` kept);
3. roll the fault rules, which may answer instead of the app, or after it;
4. collapse ``//`` (the ADK sends ``/v1//channels/...``) and check the bearer token (token endpoints exempt).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs, parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pulumi_phonecfg.emulator.documents import PRINCIPAL_KEY
from pulumi_phonecfg.emulator.faults import DELIBERATE_DROP, FaultDecision
from pulumi_phonecfg.emulator.paths import ADMIN_PREFIX, API_ROOT_RE, DOCS_PATHS, INSTANCE_ROOT_RE, TOKEN_PATHS
from pulumi_phonecfg.emulator.state import EmulatorState

log = logging.getLogger("pulumi_phonecfg.emulator")


class EmulatorMiddleware:
    """Request log, faults, API roots, slash collapsing and bearer auth for non-admin routes."""

    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(ADMIN_PREFIX + "/") or path in DOCS_PATHS:
            if scope["type"] == "http":
                status: list[int] = []
                await self.app(scope, receive, _status_spy(send, status))
                log.info("%s %s %s", scope["method"], path, status[0] if status else "-")
            else:
                await self.app(scope, receive, send)
            return
        await self._handle(scope, receive, send)

    def _strip_root(self, path: str, raw_path: str) -> tuple[str, str, str, bool]:
        """(path, raw path, root as sent, instance known) with the API root removed from both paths."""
        m = INSTANCE_ROOT_RE.match(path)
        if m is not None:
            known = m.group(1).lower() == self.state.settings.instance_id.lower()
            raw_m = INSTANCE_ROOT_RE.match(raw_path)
            inner = m.group(2) or "/"
            raw_inner = (raw_m.group(2) or "/") if raw_m is not None else inner
            return inner, raw_inner, raw_path[: len(raw_path) - len(raw_inner)], known
        m = API_ROOT_RE.match(path)
        raw_m = API_ROOT_RE.match(raw_path)
        if m is not None and raw_m is not None:
            return m.group(2), raw_m.group(2), raw_m.group(1), True
        return path, raw_path, "", True

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        method: str = scope["method"]
        raw_path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1").split("?")[0]
        path, raw_path, root, instance_ok = self._strip_root(scope["path"], raw_path)
        body = await _read_body(receive)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        entry: dict[str, Any] = {
            "method": method,
            "path": raw_path,
            "root": root,
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
            elif collapsed not in TOKEN_PATHS and not self._authorize(inner_scope, headers):
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
