"""Bad input through the real engine: what a user sees for every mistake they can type.

Each case is one invalid inline program, run through `pulumi preview` and then `pulumi up` on one shared stack
against one emulator. For each run: the run fails, the output names the field, the provider's part of the
message is one line with no traceback, no credential the program carries appears in anything captured (engine
output and events, the CLI's stdout/stderr, the backend's files, the exported state), and the API received
zero requests (the emulator's request log, token endpoints included).

The server-side kind follows: input `check` accepts but the API rejects (422) fails with one line naming the
operation the user ran, the API's own field location and message, and no token.
"""

from __future__ import annotations

import base64
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_phonecfg import PhoneConfig
from pulumi_phonecfg.emulator.testing import RunningEmulator

from .helpers import (
    TYPE_TOKEN,
    Transcript,
    exported_state,
    inline_stack,
    list_configs,
    provider_config,
    read_tree,
    scan_for_secrets,
    state_resources,
    summarize,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PROJECT = "phonecfg-gauntlet"
STACK = "gauntlet"
RESOURCE = "bad"  # every invalid program declares one PhoneConfig under this name
AGENT = "5f0c8a52-4a7e-4f7b-9a57-0c8f3f4e2a01"
ENVIRONMENT = "5f0c8a52-4a7e-4f7b-9a57-0c8f3f4e2a02"
# A secret stack config value some programs read (see the `sip-authentication-without-password` case).
CONFIG_PASSWORD = f"fake-gauntlet-config-password-{secrets.token_hex(6)}"
UNKNOWN_FIELD = "unknown field (check the spelling; field names are the API's own)"


def fake_credential(label: str) -> str:
    """A recognisable, obviously fake credential, random per run: finding it anywhere is never a coincidence."""
    return f"fake-gauntlet-{label}-{secrets.token_hex(6)}"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@dataclass(frozen=True)
class Case:
    """One invalid program: what it declares, the field the output must name and the provider's reason."""

    id: str
    declare: Callable[[], object]
    field: str
    reason: str
    credentials: tuple[str, ...] = ()
    # False when the mistake never reaches the provider (Python rejects the call itself).
    from_provider: bool = True


def sip(credential: str, **kwargs: Any) -> Callable[[], object]:
    """A SIP trunk with authentication (carrying `credential` as its password), plus `kwargs`."""
    security = {"authentication": True, "username": "gauntlet-user", "password": credential}
    args: dict[str, Any] = {"name": "Gauntlet SIP", "security": security, **kwargs}
    return lambda: PhoneConfig(RESOURCE, **args)


def genesys(api_key: str, client_secret: str, **kwargs: Any) -> Callable[[], object]:
    security = {"api_key": api_key, "client_secret": client_secret}
    args: dict[str, Any] = {
        "name": "Gauntlet Genesys",
        "service_provider": "genesys_audio_connector",
        "security": security,
        **kwargs,
    }
    return lambda: PhoneConfig(RESOURCE, **args)


def build_cases() -> list[Case]:
    cases: list[Case] = []

    def add(
        case_id: str, declare: Callable[[], object], field_: str, reason: str, *creds: str, from_provider: bool = True
    ) -> None:
        cases.append(Case(case_id, declare, field_, reason, creds, from_provider))

    c = fake_credential("name-empty")
    add("name-empty", sip(c, name=""), "name", "String should have at least 1 character", c)
    c = fake_credential("name-65")
    add("name-65-chars", sip(c, name="n" * 65), "name", "String should have at most 64 characters", c)
    c = fake_credential("desc")
    add(
        "description-1025-chars",
        sip(c, description="d" * 1025),
        "description",
        "String should have at most 1024 characters",
        c,
    )
    c = fake_credential("e164")
    add(
        "number-not-e164",
        sip(c, phone_numbers=[{"phone_number": "4155550100"}]),
        "phone_numbers[0].phone_number",
        "must be in E.164 format",
        c,
    )
    c = fake_credential("invalid-number")
    add(
        "number-impossible-for-country",
        sip(c, phone_numbers=[{"phone_number": "+14155550100"}, {"phone_number": "+1415555"}]),
        "phone_numbers[1].phone_number",
        "is not a possible phone number for its country code",
        c,
    )
    c = fake_credential("dup-number")
    add(
        "number-listed-twice",
        # The same number in two spellings: equal once in E.164.
        sip(c, phone_numbers=[{"phone_number": "+14155550100"}, {"phone_number": "+1 415-555-0100"}]),
        "phone_numbers[1]",
        "phone number listed twice",
        c,
    )
    c = fake_credential("agent-uuid")
    add(
        "agent-id-not-a-uuid",
        sip(c, phone_numbers=[{"phone_number": "+14155550100", "agent_id": "customer-care", "environment_id": AGENT}]),
        "phone_numbers[0].agent_id",
        "Input should be a valid UUID",
        c,
    )
    c = fake_credential("agent-alone")
    add(
        "agent-id-without-environment-id",
        sip(c, phone_numbers=[{"phone_number": "+14155550100", "agent_id": AGENT}]),
        "phone_numbers[0]",
        "agent_id and environment_id must be given together",
        c,
    )
    # The password is in the stack config, but the program reads a misspelled key: no password reaches check.
    add(
        "sip-authentication-without-password",
        lambda: PhoneConfig(
            RESOURCE,
            name="Gauntlet SIP",
            security={"authentication": True, "username": "u1", "password": pulumi.Config().get("sipPasword")},
        ),
        "security.password",
        "is required when authentication is true",
        CONFIG_PASSWORD,
    )
    key, raw = fake_credential("genesys-key"), fake_credential("not-base64")
    add(
        "genesys-client-secret-not-base64",
        genesys(key, f"{raw}!"),
        "security.client_secret",
        "must be base64-encoded",
        key,
        raw,
    )
    raw = fake_credential("no-api-key")
    add(
        "genesys-without-api-key",
        lambda: PhoneConfig(
            RESOURCE,
            name="Gauntlet Genesys",
            service_provider="genesys_audio_connector",
            security={"client_secret": b64(raw)},
        ),
        "security.api_key",
        "is required for genesys_audio_connector",
        raw,
        b64(raw),
    )
    c = fake_credential("sip-attach")
    add(
        "attachments-on-a-sip-trunk",
        sip(c, attached_environments=[{"agent_id": AGENT, "environment_id": ENVIRONMENT}]),
        "attached_environments",
        "agent attachments exist only on genesys_audio_connector",
        c,
    )
    key, raw = fake_credential("genesys-numbers"), fake_credential("genesys-numbers-secret")
    add(
        "numbers-on-genesys",
        genesys(key, b64(raw), phone_numbers=[{"phone_number": "+14155550100"}]),
        "phone_numbers",
        "applies only to sip_trunk configs",
        key,
        raw,
        b64(raw),
    )
    key, raw = fake_credential("genesys-attach"), fake_credential("genesys-attach-secret")
    add(
        "attachment-agent-not-a-uuid",
        genesys(key, b64(raw), attached_environments=[{"agent_id": "billing", "environment_id": ENVIRONMENT}]),
        "attached_environments[0].agent_id",
        "Input should be a valid UUID",
        key,
        raw,
        b64(raw),
    )
    c = fake_credential("top-level")
    add(
        "misspelled-field-top-level",
        sip(c, descripton="typo"),
        "descripton",
        "unexpected keyword argument 'descripton'",
        c,
        from_provider=False,
    )
    c = fake_credential("pasword")
    add(
        "misspelled-field-nested-holding-the-password",
        lambda: PhoneConfig(
            RESOURCE, name="Gauntlet SIP", security={"authentication": True, "username": "u1", "pasword": c}
        ),
        "security.pasword",
        UNKNOWN_FIELD,
        c,
    )
    c = fake_credential("deep")
    add(
        "misspelled-field-nested-deep",
        sip(c, error_handling={"transfer_failure": {"reply_message": "Sorry.", "disconect_call": True}}),
        "error_handling.transfer_failure.disconect_call",
        UNKNOWN_FIELD,
        c,
    )
    c = fake_credential("bool")
    add(
        "wrong-type-string-for-boolean",
        sip(c, put_caller_on_hold_on_transfer="yes"),
        "put_caller_on_hold_on_transfer",
        "Input should be a valid boolean",
        c,
    )
    c = fake_credential("nested-bool")
    add(
        "wrong-type-nested-boolean",
        lambda: PhoneConfig(
            RESOURCE,
            name="Gauntlet SIP",
            security={"secure_trunking": "true", "authentication": True, "username": "u1", "password": c},
        ),
        "security.secure_trunking",
        "Input should be a valid boolean",
        c,
    )
    c = fake_credential("list")
    add(
        "wrong-type-string-for-list",
        sip(c, phone_numbers=cast(Any, "+14155550100")),
        "phone_numbers",
        "Input should be a valid list",
        c,
    )
    c = fake_credential("number-name")
    add("wrong-type-number-for-name", sip(c, name=cast(Any, 42)), "name", "Input should be a valid string", c)
    c = fake_credential("provider")
    add(
        "unknown-service-provider",
        sip(c, service_provider="twilio"),
        "service_provider",
        "Input should be 'sip_trunk' or 'genesys_audio_connector'",
        c,
    )
    c = fake_credential("headers")
    add(
        "header-listed-twice",
        sip(c, custom_invite_headers=[{"name": "X-Tenant"}, {"name": "x-tenant"}]),
        "custom_invite_headers[1]",
        "header listed twice",
        c,
    )
    return cases


CASES = build_cases()
# What the inline program declares right now (the tests set it before each run).
PROGRAM: list[Callable[[], object]] = []


def program() -> None:
    for declare in PROGRAM:
        declare()


@dataclass
class Gauntlet:
    stack: auto.Stack
    emulator: RunningEmulator
    base: Path
    durations: dict[str, float] = field(default_factory=dict)
    failing_runs: int = 0

    @property
    def token(self) -> str:
        return self.emulator.token

    def run(self, operation: str, declare: Callable[[], object]) -> tuple[str, Transcript]:
        """Run `operation` of the program `declare`; it must fail. Returns the error text and the transcript."""
        PROGRAM[:] = [declare]
        self.emulator.clear_requests()
        transcript = Transcript()
        started = time.monotonic()
        with pytest.raises(auto.CommandError) as raised:
            getattr(self.stack, operation)(**transcript.kwargs())
        self.durations[operation] = self.durations.get(operation, 0.0) + time.monotonic() - started
        self.failing_runs += 1
        return str(raised.value), transcript

    def run_ok(self, operation: str, *declares: Callable[[], object]) -> Any:
        PROGRAM[:] = list(declares)
        self.emulator.clear_requests()
        return getattr(self.stack, operation)()


@pytest.fixture(scope="module")
def gauntlet(pulumi_command: auto.PulumiCommand, emulator: RunningEmulator, e2e_dir: Path) -> Iterator[Gauntlet]:
    stack = inline_stack(e2e_dir, pulumi_command, PROJECT, STACK, program)
    stack.set_all_config({**provider_config(emulator), "sipPassword": auto.ConfigValue(CONFIG_PASSWORD, secret=True)})
    state = Gauntlet(stack, emulator, e2e_dir)
    yield state
    total = sum(state.durations.values())
    seconds = ", ".join(f"{op} {took:.1f}s" for op, took in state.durations.items())
    print(f"\ngauntlet: {len(CASES)} invalid programs; {state.failing_runs} failing runs took {total:.1f}s ({seconds})")
    if state_resources(stack):
        PROGRAM.clear()
        stack.up()


def error_diagnostics(transcript: Transcript) -> list[str]:
    """Messages of the engine's error diagnostics (what `pulumi` prints as `error:` lines)."""
    found = []
    for event in transcript.events:
        diagnostic = event.diagnostic_event
        if diagnostic is not None and diagnostic.severity == "error":
            found.append(diagnostic.message)
    return found


def assert_nothing_leaked(gauntlet: Gauntlet, credentials: dict[str, str], captured: str) -> None:
    found = scan_for_secrets(
        credentials,
        {
            "captured output": captured,
            "backend files": read_tree(gauntlet.base / "state"),
            "workspace files": read_tree(Path(gauntlet.stack.workspace.work_dir)),
        },
    )
    assert not found, f"plaintext credentials leaked: {found}"


@pytest.mark.parametrize("operation", ["preview", "up"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_invalid_program_fails_naming_the_field_before_any_request(
    gauntlet: Gauntlet, case: Case, operation: str
) -> None:
    error, transcript = gauntlet.run(operation, case.declare)
    captured = error + "\n" + transcript.text()

    requests = gauntlet.emulator.requests()
    assert requests == [], f"the API was called: {summarize(requests)}"
    credentials = {f"credential {i}": c for i, c in enumerate(case.credentials)} | {"provider token": gauntlet.token}
    assert_nothing_leaked(gauntlet, credentials, captured)
    assert "pulumi_phonecfg" not in captured, "a traceback or module path of ours reached the output"
    if case.from_provider:
        # What the user sees (the CLI's stdout and stderr, the Diagnostics section included) has no traceback.
        # (The SDK logs its own RPC traceback at debug level when the engine stops the program: not shown.)
        assert "Traceback" not in error and 'File "' not in error, error
    else:
        # Python refuses the call before any code of ours runs; the SDK prints the program's traceback, which
        # ends in one line naming the argument (and a type checker flags the same call before any run).
        assert f"TypeError: PhoneConfig.__init__() got an {case.reason}\n" in error, error

    diagnostics = error_diagnostics(transcript)
    if case.from_provider:
        # The engine's line: `<type> resource 'bad': property <field> value <v> has a problem: <reason>`.
        ours = [d for d in diagnostics if f"resource '{RESOURCE}': property {case.field} " in d]
        assert ours, f"no error names {case.field!r}: {diagnostics}"
        line = ours[0].strip()
        assert "\n" not in line and line in error, line
        assert line.startswith(f"{TYPE_TOKEN} resource '{RESOURCE}'"), line
        assert f"has a problem: {case.reason}" in line, line
    else:
        assert any(case.reason in d for d in diagnostics), diagnostics
    assert list_configs(gauntlet.emulator) == []


# ----------------------------------------------------------------------------------------------------------------
# The server-side kind: input `check` accepts and the API refuses (the emulator is stricter than `check` on these,
# see docs/emulator.md). The user sees one line: the operation they ran, HTTP 422, the API's field and message.

SERVER_NAME = "Gauntlet server"
SERVER_PASSWORD = fake_credential("server-password")


def server_trunk(**kwargs: Any) -> Callable[[], object]:
    return sip(SERVER_PASSWORD, name=SERVER_NAME, **kwargs)


def provider_error_line(error: str) -> str:
    """The provider's line in the CLI output: the exception the engine prints under the resource."""
    lines = [line.strip() for line in error.splitlines() if "pulumi_phonecfg.errors." in line]
    assert len(lines) == 1, error
    return lines[0]


def assert_server_error_is_one_clean_line(gauntlet: Gauntlet, error: str, transcript: Transcript, line: str) -> None:
    captured = error + "\n" + transcript.text()
    assert_nothing_leaked(gauntlet, {"SIP password": SERVER_PASSWORD, "provider token": gauntlet.token}, captured)
    assert "During handling" not in error and "httpx" not in error, error
    # The SDK prints its own frames for any provider exception; of ours only the one re-raise remains.
    ours = [text for text in error.splitlines() if "pulumi_phonecfg/" in text]
    assert len(ours) <= 1 and all("dynamic/providers.py" in text for text in ours), ours
    assert provider_error_line(error) == line


def test_api_422_on_create_names_create_and_the_api_field(gauntlet: Gauntlet) -> None:
    error, transcript = gauntlet.run("up", server_trunk(custom_invite_headers=[{"name": "X Tenant"}]))
    assert_server_error_is_one_clean_line(
        gauntlet,
        error,
        transcript,
        f"pulumi_phonecfg.errors.PhoneApiError: create phone config '{SERVER_NAME}' failed: HTTP 422: "
        "custom_invite_headers.0.name: String should match pattern '^[A-Za-z0-9!#$%&'*+.^_`|~-]+$'",
    )
    assert summarize(gauntlet.emulator.requests()) == [
        "GET /v1/channels/phone -> 200",
        "POST /v1/channels/phone -> 422",
    ]
    assert list_configs(gauntlet.emulator) == [] and state_resources(gauntlet.stack) == {}


def test_api_422_in_the_create_follow_up_names_create_and_cleans_up(gauntlet: Gauntlet) -> None:
    """Numbers are written by a PATCH right after the POST; its failure is still the user's create."""
    long_description = [{"phone_number": "+14155550177", "description": "n" * 1025}]
    error, transcript = gauntlet.run("up", server_trunk(phone_numbers=long_description))
    requests = summarize(gauntlet.emulator.requests())
    # The name check (one GET of the list), the POST, the PATCH that fails, the compensating DELETE.
    assert requests[:2] == ["GET /v1/channels/phone -> 200", "POST /v1/channels/phone -> 201"], requests
    config_id = requests[2].split("/")[-1].split(" ")[0]
    assert requests[2:] == [
        f"PATCH /v1/channels/phone/{config_id} -> 422",
        f"DELETE /v1/channels/phone/{config_id} -> 204",
    ]
    assert_server_error_is_one_clean_line(
        gauntlet,
        error,
        transcript,
        f"pulumi_phonecfg.errors.PhoneApiError: create phone config '{SERVER_NAME}' failed: HTTP 422: "
        "phone_numbers.0.description: String should have at most 1024 characters; "
        f"the half-created config {config_id} was deleted again",
    )
    assert list_configs(gauntlet.emulator) == [] and state_resources(gauntlet.stack) == {}


def test_api_422_on_update_names_update_and_the_api_field(gauntlet: Gauntlet) -> None:
    gauntlet.run_ok("up", server_trunk())
    (config,) = list_configs(gauntlet.emulator)
    too_long = {"transfer_failure": {"reply_message": "r" * 151}}
    error, transcript = gauntlet.run("up", server_trunk(error_handling=too_long))
    assert_server_error_is_one_clean_line(
        gauntlet,
        error,
        transcript,
        f"pulumi_phonecfg.errors.PhoneApiError: update phone config '{SERVER_NAME}' failed: HTTP 422: "
        "error_handling.transfer_failure.reply_message: String should have at most 150 characters",
    )
    assert summarize(gauntlet.emulator.requests()) == [f"PATCH /v1/channels/phone/{config['id']} -> 422"]
    assert list_configs(gauntlet.emulator) == [config]  # unchanged
    gauntlet.run_ok("up")  # the empty program: deletes it
    assert list_configs(gauntlet.emulator) == []


def test_api_url_over_plain_http_fails_at_the_first_call_before_any_request(gauntlet: Gauntlet) -> None:
    """`phonecfg:url` to a remote host over http: preview fails naming the key; nothing is sent anywhere."""
    gauntlet.stack.set_config("phonecfg:url", auto.ConfigValue("http://api.example.invalid/instances/gauntlet"))
    try:
        error, transcript = gauntlet.run("preview", server_trunk())
    finally:
        gauntlet.stack.set_config("phonecfg:url", auto.ConfigValue(gauntlet.emulator.url))
    captured = error + "\n" + transcript.text()
    assert_nothing_leaked(gauntlet, {"SIP password": SERVER_PASSWORD, "provider token": gauntlet.token}, captured)
    assert provider_error_line(error) == (
        "pulumi_phonecfg.errors.ConfigurationError: phonecfg:url must use https:// (got http:// to "
        "api.example.invalid): credentials travel only over TLS; http:// is allowed only to a loopback host "
        "(127.0.0.0/8, ::1, localhost)"
    )
    assert gauntlet.emulator.requests() == []


def test_exported_state_holds_no_credential_of_any_case(gauntlet: Gauntlet) -> None:
    credentials = {f"{c.id} {i}": v for c in CASES for i, v in enumerate(c.credentials)}
    found = scan_for_secrets(
        credentials | {"provider token": gauntlet.token}, {"state": exported_state(gauntlet.stack)}
    )
    assert not found, found
    assert state_resources(gauntlet.stack) == {}
    assert len(CASES) >= 15
