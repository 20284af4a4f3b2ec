"""The native server's one-line errors scrub the request's credentials in the program's spelling (camelCase).

`server._one_line` is what every resource call reports its failure through; the values are what a Create or
Update of a Genesys config carries (`security.apiKey`, `security.clientSecret`).
"""

from __future__ import annotations

import pytest

from pulumi_phonecfg.core.http.error_text import collect_secrets
from pulumi_phonecfg.native.server import RequestFailed, _one_line

FAKE_API_KEY = "fake-genesys-api-key-redaction"
FAKE_CLIENT_SECRET = "ZmFrZS1jbGllbnQtc2VjcmV0LXJlZGFjdGlvbg=="
FAKE_PASSWORD = "fake-sip-password-redaction"


def test_an_unexpected_error_is_scrubbed_of_camel_case_credentials() -> None:
    values = {
        "name": "genesys",
        "security": {"apiKey": FAKE_API_KEY, "clientSecret": FAKE_CLIENT_SECRET, "password": FAKE_PASSWORD},
    }

    def fail() -> None:
        raise ValueError(f"could not encode {FAKE_API_KEY!r} / {FAKE_CLIENT_SECRET} / {FAKE_PASSWORD}")

    with pytest.raises(RequestFailed) as raised:
        _one_line("create", fail, collect_secrets(values))
    message = str(raised.value)
    assert message.startswith("create: unexpected ValueError: could not encode")
    for secret_value in (FAKE_API_KEY, FAKE_CLIENT_SECRET, FAKE_PASSWORD):
        assert secret_value not in message
    assert message.count("[redacted]") == 3
