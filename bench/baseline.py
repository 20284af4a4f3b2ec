"""The imperative baseline: what a script over IBM's ADK CLI does for the same end state, with plain httpx.

One `orchestrate phone import` per config: list every config, match by name, then PATCH (found) or POST; then
the numbers, one call each (POST a new one, PATCH an existing one). Sequential, as a shell loop runs it. Generous
to the ADK: before each numbers call the ADK also GETs the config to check its kind; that GET is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

PHONE = "/v1/channels/phone"


def client(url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60)


def list_configs(http: httpx.Client) -> list[dict[str, Any]]:
    response = http.get(PHONE)
    response.raise_for_status()
    phones: list[dict[str, Any]] = response.json()["phones"]
    return phones


def apply(http: httpx.Client, desired: Sequence[dict[str, Any]]) -> None:
    """Create or update every config (the ADK has no diff: a found config is always PATCHed)."""
    for spec in desired:
        found = next((c for c in list_configs(http) if c.get("name") == spec["name"]), None)
        body = {k: v for k, v in spec.items() if k != "phone_numbers"}
        if found is None:
            response = http.post(PHONE, json={**body, "security": {}})
            existing: set[str] = set()
        else:
            response = http.patch(f"{PHONE}/{found['id']}", json=body)
            existing = {n["phone_number"] for n in found.get("phone_numbers") or []}
        response.raise_for_status()
        config_id = found["id"] if found is not None else response.json()["id"]
        for number in spec["phone_numbers"]:
            if number["phone_number"] in existing:
                response = http.patch(f"{PHONE}/{config_id}/numbers/{number['phone_number']}", json=number)
            else:
                response = http.post(f"{PHONE}/{config_id}/numbers", json=number)
            response.raise_for_status()


def refresh(http: httpx.Client) -> None:
    """Reading the current state: one list call returns every config."""
    list_configs(http)


def destroy(http: httpx.Client, names: Sequence[str]) -> None:
    """One `orchestrate phone delete --name` per config: list, match by name, DELETE."""
    for name in names:
        found = next((c for c in list_configs(http) if c.get("name") == name), None)
        if found is not None:
            http.delete(f"{PHONE}/{found['id']}").raise_for_status()
