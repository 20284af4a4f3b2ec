"""Settings resolution (`ProviderSettings.from_sources`), every rule of it in one place.

* Credentials travel only over TLS (`phonecfg:url`, `phonecfg:authUrl`): https with a host is always accepted;
  http only to a loopback host (127.0.0.0/8, ::1, localhost); anything else is a ConfigurationError naming the
  key, raised by `from_sources`, so before any client or request exists (the provider, `get_agent` and
  `phonecfg export` alike).
* The stack config wins over `PHONECFG_*`; the auth type follows the host; a missing or bad value names its key;
  `phonecfg:adoptExisting` and `phonecfg:providerThreads` defaults and their refusals.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pulumi
import pytest

from pulumi_phonecfg.commands import cli
from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.errors import ConfigurationError
from pulumi_phonecfg.core.http.settings import ProviderSettings, is_loopback_host
from pulumi_phonecfg.core.lifecycle.agents import AgentDirectory
from pulumi_phonecfg.dynamic.agents import AgentLookupError, get_agent

KEYS = ("url", "authUrl")
VARIABLES = {"url": "PHONECFG_URL", "authUrl": "PHONECFG_AUTH_URL"}


def resolve(config: dict[str, str], env: dict[str, str] | None = None) -> ProviderSettings:
    return ProviderSettings.from_sources(config.get, env or {})


def resolved_url(key: str, settings: ProviderSettings) -> str | None:
    return settings.url if key == "url" else settings.auth_url


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize(
    "url",
    [
        "https://api.us-south.watson-orchestrate.cloud.ibm.com/instances/abc",
        "https://iam.cloud.ibm.com/identity/token",
        "HTTPS://API.EXAMPLE.COM:8443/base",
        "https://10.1.2.3",  # https to any host is fine: the channel is encrypted
    ],
)
def test_https_with_a_host_is_accepted(key: str, url: str) -> None:
    assert resolved_url(key, resolve({f"phonecfg:{key}": url})) == url


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8787",
        "http://127.42.0.9:1/instances/x",  # all of 127.0.0.0/8
        "http://[::1]:8787",
        "http://localhost:8787",
        "http://LocalHost",
        "https://127.0.0.1:8443",
    ],
)
def test_http_is_accepted_to_a_loopback_host(key: str, url: str) -> None:
    assert resolved_url(key, resolve({f"phonecfg:{key}": url})) == url


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://api.us-south.watson-orchestrate.cloud.ibm.com/instances/abc", "api.us-south.watson-orchestrate"),
        ("http://10.0.0.5:8787", "10.0.0.5"),
        ("http://128.0.0.1", "128.0.0.1"),  # just outside 127.0.0.0/8
        ("http://0.0.0.0:8787", "0.0.0.0"),  # "any address", not loopback
        ("http://[::2]", "::2"),
        ("http://localhost.example.com", "localhost.example.com"),
        ("http://127.0.0.1.nip.io", "127.0.0.1.nip.io"),  # a name that merely looks like loopback
    ],
)
def test_http_to_a_remote_host_is_refused_naming_the_key(key: str, url: str, host: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        resolve({f"phonecfg:{key}": url})
    message = str(raised.value)
    assert message.startswith(f"phonecfg:{key} must use https://"), message
    assert host in message and "\n" not in message


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize(
    "url",
    [
        "api.example.com",  # no scheme
        "//api.example.com",
        "https://",  # no host
        "https:///identity/token",
        "https://:443",
        "https://api.example.com:port",  # port not a number
        "https://api.example.com:99999",  # port out of range
        "https://[::1",  # unbalanced bracket
        "https://api.exa mple.com",  # whitespace inside
        "ftp://api.example.com",
        "file:///etc/hosts",
        "ws://127.0.0.1:8787",  # another scheme, even to loopback
        "   ",
    ],
)
def test_malformed_url_or_other_scheme_is_refused_naming_the_key(key: str, url: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        resolve({f"phonecfg:{key}": url})
    assert str(raised.value).startswith(f"phonecfg:{key} must be an https:// URL with a host"), str(raised.value)


@pytest.mark.parametrize("key", KEYS)
def test_the_environment_variable_is_held_to_the_same_rule_and_named(key: str) -> None:
    variable = VARIABLES[key]
    with pytest.raises(ConfigurationError) as raised:
        resolve({}, {variable: "http://api.example.com"})
    assert str(raised.value).startswith(f"phonecfg:{key} (set by {variable}) must use https://")
    assert resolved_url(key, resolve({}, {variable: "https://api.example.com"})) == "https://api.example.com"


def test_a_good_stack_value_wins_over_a_bad_environment_value() -> None:
    settings = resolve({"phonecfg:url": "https://api.example.com"}, {"PHONECFG_URL": "http://api.example.com"})
    assert settings.url == "https://api.example.com"


def test_surrounding_whitespace_is_dropped() -> None:
    assert resolve({"phonecfg:url": " https://api.example.com/x \n"}).url == "https://api.example.com/x"


def test_unset_urls_stay_unset() -> None:
    settings = resolve({"phonecfg:url": ""}, {})
    assert settings.url is None and settings.auth_url is None


@pytest.mark.parametrize(
    "url", ["http://fake-user:fake-url-password@api.example.com", "ftp://fake-user:fake-url-password@api.example.com"]
)
def test_the_message_never_repeats_credentials_embedded_in_the_url(url: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        resolve({"phonecfg:url": url})
    assert "fake-url-password" not in str(raised.value) and "fake-user" not in str(raised.value)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.255.255.254", True),
        ("::1", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("126.255.255.255", False),
        ("::", False),
        ("localhost.", False),
        ("example.com", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


@pytest.mark.parametrize(
    ("key", "url", "message"),
    [
        ("url", "http://api.example.com/instances/x", "get_agent: phonecfg:url must use https://"),
        ("authUrl", "ftp://iam.example.com/identity/token", "get_agent: phonecfg:authUrl must be an https:// URL"),
    ],
)
def test_get_agent_refuses_the_same_urls_before_any_request(
    monkeypatch: pytest.MonkeyPatch, key: str, url: str, message: str
) -> None:
    """`get_agent` resolves settings through `from_sources` too: the program stops before any lookup."""

    def no_request(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"a request was sent: {request.method} {request.url}")

    monkeypatch.setattr(AgentDirectory, "transport", httpx.MockTransport(no_request))
    config = {"phonecfg:url": "https://api.example.com/instances/x", "phonecfg:token": "fake-token-tls"}
    pulumi.runtime.set_all_config({**config, f"phonecfg:{key}": url})
    try:
        with pytest.raises(AgentLookupError) as raised:
            get_agent("customer-care")
    finally:
        pulumi.runtime.set_all_config({})
    assert str(raised.value).startswith(message), str(raised.value)


@pytest.mark.parametrize(
    ("url", "env", "message"),
    [
        ("http://api.example.com/instances/x", {}, "phonecfg:url must use https://"),
        (None, {"PHONECFG_URL": "api.example.com"}, "phonecfg:url (set by PHONECFG_URL) must be an https:// URL"),
        (
            # Nothing listens on port 1: had a request been tried, this would be a connection error instead.
            "http://127.0.0.1:1",
            {"PHONECFG_API_KEY": "fake-export-key", "PHONECFG_AUTH_TYPE": "ibm_iam", "PHONECFG_AUTH_URL": "http://iam"},
            "phonecfg:authUrl (set by PHONECFG_AUTH_URL) must use https://",
        ),
    ],
)
def test_phonecfg_export_refuses_the_same_urls_and_writes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    url: str | None,
    env: dict[str, str],
    message: str,
) -> None:
    """`phonecfg export` resolves settings through `from_sources` too: one line on stderr, nothing written."""
    for variable in ("PHONECFG_URL", "PHONECFG_API_KEY", "PHONECFG_AUTH_TYPE", "PHONECFG_AUTH_URL"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PHONECFG_TOKEN", "fake-export-token")
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    out = tmp_path / "project"
    argv = ["export", "--all", "--out", str(out)] + (["--url", url] if url is not None else [])
    assert cli.main(argv) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(f"phonecfg export: {message}"), captured.err
    assert captured.err.count("\n") == 1 and captured.out == ""
    assert "fake-export" not in captured.err
    assert not out.exists()


# ------------------------------------------------------------------------------------ sources and keys


def test_stack_config_wins_over_the_environment() -> None:
    resolved = resolve(
        {"phonecfg:url": "https://from-config"}, {"PHONECFG_URL": "https://from-env", "PHONECFG_TOKEN": "t"}
    )
    assert resolved.url == "https://from-config" and resolved.token == "t"
    assert "fake-token-value" not in repr(ProviderSettings(token="fake-token-value", api_key="fake-token-value"))


@pytest.mark.parametrize(
    ("url", "config", "expected"),
    [
        ("https://api.us-south.watson-orchestrate.cloud.ibm.com/instances/x", {"phonecfg:apiKey": "k"}, "ibm_iam"),
        ("https://api.dl.watson-orchestrate.ibm.com/instances/x", {"phonecfg:apiKey": "k"}, "mcsp"),
        ("http://127.0.0.1:8787", {"phonecfg:token": "t"}, "bearer"),
        ("http://127.0.0.1:8787", {"phonecfg:apiKey": "k", "phonecfg:authType": "mcsp"}, "mcsp"),
    ],
)
def test_auth_type_is_inferred_from_the_host(url: str, config: dict[str, str], expected: str) -> None:
    assert resolve({"phonecfg:url": url, **config}).resolved_auth_type() == expected


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"phonecfg:url": "http://127.0.0.1:1", "phonecfg:apiKey": "k"}, "set phonecfg:authType"),
        ({"phonecfg:url": "http://127.0.0.1:1"}, "no credentials"),
        ({"phonecfg:token": "t"}, "phonecfg:url"),
        ({"phonecfg:url": "http://127.0.0.1:1", "phonecfg:token": "t", "phonecfg:authType": "oauth"}, "authType"),
        ({"phonecfg:url": "http://127.0.0.1:1", "phonecfg:token": "t", "phonecfg:maxRetries": "many"}, "maxRetries"),
    ],
)
def test_missing_or_bad_configuration_says_which_key(config: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        PhoneApiClient(resolve(config))


@pytest.mark.parametrize(
    ("config", "env", "expected"),
    [
        ({}, {}, False),
        ({"phonecfg:adoptExisting": "true"}, {}, True),
        ({"phonecfg:adoptExisting": "True"}, {}, True),
        ({"phonecfg:adoptExisting": "false"}, {"PHONECFG_ADOPT_EXISTING": "true"}, False),
        ({}, {"PHONECFG_ADOPT_EXISTING": "true"}, True),
        ({}, {"PHONECFG_ADOPT_EXISTING": "FALSE"}, False),
    ],
)
def test_adopt_existing_default_from_config_then_environment(
    config: dict[str, str], env: dict[str, str], expected: bool
) -> None:
    assert resolve(config, env).adopt_existing is expected


@pytest.mark.parametrize("text", ["yes", "1", "on", "tru"])
def test_anything_but_true_or_false_names_the_key(text: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        resolve({"phonecfg:adoptExisting": text})
    assert str(raised.value) == f"phonecfg:adoptExisting must be true or false, got {text!r}"


def test_strict_phone_numbers_from_config_then_environment() -> None:
    assert resolve({}, {}).strict_phone_numbers is False
    assert resolve({"phonecfg:strictPhoneNumbers": "true"}, {}).strict_phone_numbers is True
    assert resolve({}, {"PHONECFG_STRICT_PHONE_NUMBERS": "true"}).strict_phone_numbers is True
    assert (
        resolve(
            {"phonecfg:strictPhoneNumbers": "false"}, {"PHONECFG_STRICT_PHONE_NUMBERS": "true"}
        ).strict_phone_numbers
        is False
    )
    with pytest.raises(ConfigurationError, match="phonecfg:strictPhoneNumbers must be true or false"):
        resolve({"phonecfg:strictPhoneNumbers": "strict"})


def test_provider_threads_setting() -> None:
    assert ProviderSettings.from_sources(lambda _: None, {}).provider_threads == 32
    assert ProviderSettings.from_sources(lambda _: None, {"PHONECFG_PROVIDER_THREADS": "8"}).provider_threads == 8
    for bad in ("0", "many", "2.5"):
        with pytest.raises(ConfigurationError, match="phonecfg:providerThreads"):
            ProviderSettings.from_sources({"phonecfg:providerThreads": bad}.get, {})


# ------------------------------------------------------------------------------------ credentials in settings


@pytest.mark.parametrize(("key", "variable"), [("token", "PHONECFG_TOKEN"), ("apiKey", "PHONECFG_API_KEY")])
def test_a_pasted_trailing_newline_is_dropped_from_a_credential(key: str, variable: str) -> None:
    attribute = "token" if key == "token" else "api_key"
    assert getattr(resolve({f"phonecfg:{key}": "fake-credential-nl\n"}), attribute) == "fake-credential-nl"
    assert getattr(resolve({}, {variable: " fake-credential-nl\r\n"}), attribute) == "fake-credential-nl"


@pytest.mark.parametrize(("key", "variable"), [("token", "PHONECFG_TOKEN"), ("apiKey", "PHONECFG_API_KEY")])
@pytest.mark.parametrize("value", ["fake-cred\nential", "fake-cred\x00ential", "fake-cred ential", "fake-cred\x7f"])
def test_a_control_character_inside_a_credential_is_refused_naming_the_key_not_the_value(
    key: str, variable: str, value: str
) -> None:
    for config, env, named in (
        ({f"phonecfg:{key}": value}, {}, f"phonecfg:{key} contains"),
        ({}, {variable: value}, f"phonecfg:{key} (set by {variable}) contains"),
    ):
        with pytest.raises(ConfigurationError) as raised:
            resolve({"phonecfg:url": "https://api.example.com", **config}, env)
        message = str(raised.value)
        assert message.startswith(named), message
        assert "fake-cred" not in message and "ential" not in message and "\n" not in message


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize(
    "url",
    [
        "https://fake-user:fake-url-password@api.example.com/instances/x",
        "https://fake-user@api.example.com",
        "http://fake-user:fake-url-password@127.0.0.1:8080",
    ],
)
def test_a_url_with_user_and_password_is_refused_without_echoing_them(key: str, url: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        resolve({f"phonecfg:{key}": url})
    message = str(raised.value)
    assert message.startswith(f"phonecfg:{key} must not carry a user name or password"), message
    assert "fake-url-password" not in message and "fake-user" not in message
