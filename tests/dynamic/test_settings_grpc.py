"""A URL that would send credentials in clear text fails the provider's first call, before any request.

The dynamic-provider server calls `configure()` when it unpickles the provider for the first resource call
(`Check`, so `pulumi preview` too); `configure()` resolves settings through `ProviderSettings.from_sources`.
"""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from grpc_plugin import secret

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .harness import dynamic_provider_server

SIP_TRUNK = {"name": "TLS-only trunk", "service_provider": "sip_trunk"}


def first_call_error(config: dict[str, Any]) -> str:
    """The last line of the error the provider's first resource call (Check) fails with."""
    with dynamic_provider_server(env={"PHONECFG_URL": "", "PHONECFG_TOKEN": "", "PHONECFG_AUTH_URL": ""}) as server:
        server.configure(config)
        with pytest.raises(grpc.RpcError) as raised:
            server.check(SIP_TRUNK)
    details = raised.value.details()
    assert "During handling" not in details
    return details.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("url_of", "bad_url", "message"),
    [
        ("url", "http://api.example.invalid/instances/x", "phonecfg:url must use https:// (got http:// to "),
        ("url", "api.example.invalid", "phonecfg:url must be an https:// URL with a host"),
        ("authUrl", "http://iam.example.invalid/identity/token", "phonecfg:authUrl must use https:// (got http:// "),
        ("authUrl", "ftp://127.0.0.1/identity/token", "phonecfg:authUrl must be an https:// URL with a host"),
    ],
)
def test_a_bad_url_fails_the_first_call_naming_the_key_and_sends_nothing(
    phone_api: RunningEmulator, api_key: str, url_of: str, bad_url: str, message: str
) -> None:
    config: dict[str, Any] = {
        "phonecfg:url": phone_api.url,
        "phonecfg:apiKey": secret(api_key),
        "phonecfg:authType": "ibm_iam",
        "phonecfg:authUrl": f"{phone_api.url}/identity/token",
        f"phonecfg:{url_of}": bad_url,
    }
    line = first_call_error(config)
    assert line.startswith(f"pulumi_phonecfg.errors.ConfigurationError: {message}"), line
    assert api_key not in line
    # Neither the token endpoint nor the API saw a request.
    assert phone_api.requests() == []


def test_http_to_the_loopback_emulator_works(phone_api: RunningEmulator, api_key: str) -> None:
    """The control: the same configuration with loopback http URLs creates a config."""
    with dynamic_provider_server() as server:
        server.configure(
            {
                "phonecfg:url": phone_api.url,
                "phonecfg:apiKey": secret(api_key),
                "phonecfg:authType": "ibm_iam",
                "phonecfg:authUrl": f"{phone_api.url}/identity/token",
            }
        )
        created = server.create(SIP_TRUNK)
    assert created.id
    assert [(r["method"], r["path"]) for r in phone_api.requests()] == [
        ("POST", "/identity/token"),
        ("GET", "/v1/channels/phone"),  # is the name taken?
        ("POST", "/v1/channels/phone"),
    ]
