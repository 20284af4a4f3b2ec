"""Command line: ``phonecfg emulator ...`` / ``python -m pulumi_phonecfg.emulator ...``.

Binds the listening socket itself, prints exactly one stdout line ``PHONECFG_EMULATOR_URL=<url>``
once it is bound (clients can connect from then on: the kernel queues them until uvicorn accepts),
then serves with uvicorn. Logs go to stderr and never contain tokens, API keys, query strings or
request bodies.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Sequence
from typing import cast

from pulumi_phonecfg.emulator.agents import AgentsFileError, EmulatedAgent, load_agents
from pulumi_phonecfg.emulator.settings import (
    DEFAULT_INSTANCE_ID,
    DEFAULT_SUBSCRIPTION_ID,
    MASKS,
    EmulatorSettings,
    MaskStyle,
)

URL_PREFIX = "PHONECFG_EMULATOR_URL="
ENV_TOKEN = "PHONECFG_EMULATOR_TOKEN"
ENV_API_KEYS = "PHONECFG_EMULATOR_API_KEYS"
# What serving needs beyond the provider's own dependencies (the wheel's `emulator` extra).
SERVER_PACKAGES = frozenset({"fastapi", "starlette", "uvicorn", "h11"})
INSTALL_HINT = "pip install 'pulumi_phonecfg[emulator]'"


def _probability(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


def _boolean(text: str) -> bool:
    if text.lower() not in ("true", "false"):
        raise argparse.ArgumentTypeError("must be true or false")
    return text.lower() == "true"


def _instance_id(text: str) -> str:
    if not text or "/" in text or "?" in text or "#" in text:
        raise argparse.ArgumentTypeError("must be a non-empty path segment")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="phonecfg emulator",
        description="Local emulator of the IBM watsonx Orchestrate phone-config REST API.",
        epilog=f"Tokens and API keys may also come from ${ENV_TOKEN} and ${ENV_API_KEYS} (comma-separated).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8787, help="port to bind; 0 picks a free one (default 8787)")
    parser.add_argument("--db", default="phonecfg-emulator.db", help="SQLite database file (default %(default)s)")
    parser.add_argument("--token", action="append", default=[], help="static bearer token (repeatable)")
    parser.add_argument("--api-key", action="append", default=[], help="API key accepted by the token endpoints")
    parser.add_argument("--token-lifetime", type=_non_negative, default=3600, help="issued token lifetime (s)")
    parser.add_argument("--mask-style", choices=sorted(MASKS), default="null", help="how secrets are masked")
    parser.add_argument("--max-configs", type=_non_negative, default=None, help="phone-config quota (429 beyond)")
    parser.add_argument("--fault-rate", type=_probability, default=0.0, help="random fault probability per request")
    parser.add_argument("--fault-seed", type=int, default=None, help="seed for --fault-rate")
    parser.add_argument("--instance-id", type=_instance_id, default=DEFAULT_INSTANCE_ID)
    parser.add_argument("--subscription-id", default=DEFAULT_SUBSCRIPTION_ID)
    parser.add_argument(
        "--agents",
        metavar="FILE",
        default=None,
        help="JSON list of agents to serve at /v1/orchestrate/agents (default: a demo set derived from --instance-id)",
    )
    parser.add_argument(
        "--null-clears",
        type=_boolean,
        default=True,
        metavar="true|false",
        help="whether null in a number PATCH clears its description or routing (default true; false: ignored)",
    )
    parser.add_argument(
        "--form-decoded-numbers",
        type=_boolean,
        default=False,
        metavar="true|false",
        help="read a raw + in a number path as a space, as a form-decoding server would (default false)",
    )
    parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    return parser


def _split_env(name: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, "").split(",") if part.strip()]


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto matters: asyncio sets TCP_NODELAY on accepted connections only when the listening socket's
    # proto is IPPROTO_TCP; with proto 0 every response stalls ~40 ms (Nagle + delayed ACK).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _exit_cleanly(signum: int, frame: object) -> None:
    # uvicorn re-raises the signal that stopped it once it has shut down gracefully; a terminated
    # emulator is a normal outcome, so exit 0 (this also covers a SIGTERM that arrives before uvicorn
    # has installed its own handlers).
    raise SystemExit(0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    tokens = [*args.token, *_split_env(ENV_TOKEN)]
    api_keys = [*args.api_key, *_split_env(ENV_API_KEYS)]
    if not tokens and not api_keys:
        parser.error(f"no credentials: pass --token/--api-key or set ${ENV_TOKEN}/${ENV_API_KEYS}")
    if args.fault_seed is not None and args.fault_rate == 0.0:
        parser.error("--fault-seed needs --fault-rate")
    agents: tuple[EmulatedAgent, ...] | None = None
    if args.agents is not None:
        try:
            agents = load_agents(args.agents, args.instance_id)
        except AgentsFileError as exc:
            print(f"phonecfg emulator: {exc}", file=sys.stderr)
            return 2

    # Heavy imports only after the arguments are known to be good (fast --help and usage errors).
    try:
        import uvicorn

        from pulumi_phonecfg.emulator.app import create_app
        from pulumi_phonecfg.emulator.faults import DeliberateDropFilter
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] not in SERVER_PACKAGES:
            raise
        print(f"phonecfg emulator: {exc.name} is not installed: {INSTALL_HINT}", file=sys.stderr)
        return 1

    logging.basicConfig(
        stream=sys.stderr, level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("uvicorn.error").addFilter(DeliberateDropFilter())

    settings = EmulatorSettings(
        db_path=args.db,
        tokens=tuple(tokens),
        api_keys=tuple(api_keys),
        token_lifetime=args.token_lifetime,
        mask_style=cast(MaskStyle, args.mask_style),
        max_configs=args.max_configs,
        fault_rate=args.fault_rate,
        fault_seed=args.fault_seed,
        instance_id=args.instance_id,
        subscription_id=args.subscription_id,
        agents=agents,
        null_clears=args.null_clears,
        form_decoded_numbers=args.form_decoded_numbers,
    )
    app = create_app(settings)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _exit_cleanly)
    try:
        sock = _bind(args.host, args.port)
    except OSError as exc:
        print(f"phonecfg emulator: cannot bind {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    sys.stdout.write(f"{URL_PREFIX}http://{host}:{port}\n")
    sys.stdout.flush()

    config = uvicorn.Config(
        app,
        http="h11",
        ws="none",
        lifespan="off",
        access_log=False,
        log_config=None,
        log_level=args.log_level,
        timeout_graceful_shutdown=3,
    )
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return 0 if server.started else 1
