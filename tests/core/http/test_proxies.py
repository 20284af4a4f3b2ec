"""Proxies of the environment: never for loopback URLs (the token would cross them in clear), CONNECT for https.

A real proxy stand-in listens on 127.0.0.1 (a thread) and counts the connections it gets; the client talks to the
real emulator process.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator

import pytest

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.errors import PhoneApiError
from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.emulator.paths import IAM_TOKEN_PATH
from pulumi_phonecfg.emulator.testing import RunningEmulator

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


class CountingProxy(socketserver.ThreadingTCPServer):
    """Answers every connection with 502 and keeps what each one sent first (its request head)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Refuse)
        self.heads: list[bytes] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Refuse(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        assert isinstance(self.server, CountingProxy)
        connection: socket.socket = self.request
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = connection.recv(4096)
            if not chunk:
                break
            head += chunk
        with self.server.lock:
            self.server.heads.append(head)
        connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingProxy]:
    server = CountingProxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    for variable in PROXY_VARIABLES:  # urllib prefers the lower-case spelling: clear both
        monkeypatch.delenv(variable.lower(), raising=False)
        monkeypatch.delenv(variable, raising=False)
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(variable, server.url)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_loopback_url_never_goes_through_the_proxy(proxy: CountingProxy, phone_api: RunningEmulator) -> None:
    client = PhoneApiClient(ProviderSettings(url=phone_api.url, token=phone_api.token, max_retries=0))
    try:
        assert client.list_configs() == []
    finally:
        client.close()
    assert proxy.heads == []
    assert len(phone_api.api_requests("GET")) == 1


def test_the_token_exchange_at_a_loopback_url_never_goes_through_the_proxy(
    proxy: CountingProxy, phone_api: RunningEmulator, api_key: str
) -> None:
    settings = ProviderSettings(
        url=phone_api.url,
        api_key=api_key,
        auth_type="ibm_iam",
        auth_url=phone_api.url + IAM_TOKEN_PATH,
        max_retries=0,
    )
    client = PhoneApiClient(settings)
    try:
        assert client.list_configs() == []
    finally:
        client.close()
    assert proxy.heads == []


def test_an_https_url_uses_https_proxy_as_a_connect_tunnel(proxy: CountingProxy) -> None:
    settings = ProviderSettings(url="https://api.example.test/instances/x", token="fake-token-1", max_retries=0)
    client = PhoneApiClient(settings)
    try:
        with pytest.raises(PhoneApiError, match="list phone configs failed: no response"):
            client.list_configs()
    finally:
        client.close()
    assert len(proxy.heads) == 1
    assert proxy.heads[0].startswith(b"CONNECT api.example.test:443 ")
    assert b"fake-token-1" not in proxy.heads[0]  # the token travels only inside the TLS tunnel
