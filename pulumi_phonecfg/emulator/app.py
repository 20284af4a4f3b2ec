"""FastAPI application emulating the WxO phone-config API (see docs/emulator.md for every guess).

Modules: ``middleware`` (request log, faults, API roots, bearer auth), ``routes/*`` (one router per area:
phone configs, numbers, agents, tokens, admin), ``validation`` (cross-field rules, 422 shape), ``documents``
(stored documents and their masked rendering), ``state`` (what they share, reached through ``app.state``).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from pulumi_phonecfg.emulator.auth import TokenAuthority
from pulumi_phonecfg.emulator.faults import FaultEngine
from pulumi_phonecfg.emulator.middleware import EmulatorMiddleware
from pulumi_phonecfg.emulator.routes import admin, agents, numbers, phone_configs, tokens
from pulumi_phonecfg.emulator.settings import MASKS, EmulatorSettings
from pulumi_phonecfg.emulator.state import EmulatorState, RequestLog
from pulumi_phonecfg.emulator.store import Store
from pulumi_phonecfg.emulator.validation import validation_response

__all__ = ["create_app"]


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return validation_response(exc.errors())


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
        agents=settings.served_agents(),
    )
    app = FastAPI(title="phonecfg emulator (WxO phone-config API)", version="0.1.0", redirect_slashes=False)
    app.state.emulator = state  # read by ``state.emulator_state``, the routes' dependency
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    for area in (phone_configs, numbers, agents, tokens, admin):
        app.include_router(area.router)
    app.include_router(admin.guarded)
    app.add_middleware(EmulatorMiddleware, state=state)
    return app
