"""URL layout of the emulated API (stdlib only: the test harness and the middleware share it).

A request reaches the API through one of three roots, which the middleware strips before routing:
none (``/v1/...``), the SaaS instance root ``/instances/{instance_id}`` and the local Developer
Edition's ``/api`` (reference §0: the ADK sends ``//api/v1/channels/phone`` there).
"""

from __future__ import annotations

import re

PHONE_PREFIX = "/v1/channels/phone"
AGENTS_PATH = "/v1/orchestrate/agents"
IAM_TOKEN_PATH = "/identity/token"
MCSP_TOKEN_PATH = "/siusermgr/api/1.0/apikeys/token"
TOKEN_PATHS = (IAM_TOKEN_PATH, MCSP_TOKEN_PATH)
ADMIN_PREFIX = "/_emulator"
# FastAPI's own pages: served without auth, not logged as API requests.
DOCS_PATHS = ("/docs", "/redoc", "/openapi.json")

# Phone-config paths as logged (relative to the root), ``//`` tolerated like the server tolerates it.
PHONE_PATH_RE = re.compile(r"^/v1/+channels/+phone(/|$)")
AGENTS_PATH_RE = re.compile(r"^/v1/+orchestrate/+agents$")
INSTANCE_ROOT_RE = re.compile(r"^/instances/([^/]+)(/.*)?$")
# ``/api`` is a root only in front of ``/v1/...``: the token endpoints and the admin API are not under it.
API_ROOT_RE = re.compile(r"^(/+api)(/+v1(?:/.*)?)$")
