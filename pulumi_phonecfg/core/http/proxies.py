"""Which requests may go through a proxy of the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY).

httpx (`trust_env`, on by default) sends every URL the environment names a proxy for through that proxy, loopback
included: with HTTP_PROXY set, a request to the emulator or an SSH tunnel on http://127.0.0.1 would hand the proxy
the bearer token in clear. So loopback hosts are mounted direct, whatever the environment says. An https URL keeps
the environment's proxy (HTTPS_PROXY, else ALL_PROXY; NO_PROXY as httpx reads it): httpx tunnels it with CONNECT,
so TLS stays end to end and the proxy sees only the host and port. Plain http goes only to loopback hosts
(`settings.py` refuses any other), so it never meets a proxy.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

import httpx

from pulumi_phonecfg.core.http.settings import is_loopback_host

# The loopback names every client routes direct, besides the loopback hosts of the URLs it is given.
LOOPBACK_HOSTS: Final = ("localhost", "127.0.0.1", "::1")


def direct_mounts(*urls: str | None) -> dict[str, httpx.BaseTransport | None]:
    """httpx `mounts` that send every loopback host (the usual names, and any among `urls`) around any proxy.

    A mount of None means the client's own transport, which has no proxy; a host-specific pattern outranks the
    scheme-wide ones (`http://`, `all://`) that the proxy variables become.
    """
    hosts = set(LOOPBACK_HOSTS)
    for url in urls:
        host = urlsplit(url).hostname if url else None
        if host and is_loopback_host(host):
            hosts.add(host.lower())
    return {f"all://[{host}]" if ":" in host else f"all://{host}": None for host in sorted(hosts)}
