"""The retry policy, in process: backoff, Retry-After and its cap, the per-operation deadline, token exchange retries.

Fake time throughout (`fake_api.FakeApi`): every wait is asserted exactly, and no test sleeps.
"""

from __future__ import annotations

import logging

import httpx
import pytest

from pulumi_phonecfg.core.http.errors import AuthenticationError, PhoneApiError
from pulumi_phonecfg.core.http.retry import MIN_ATTEMPT_TIMEOUT, Retrier, RetryPolicy, retry_after_seconds

from .fake_api import AUTH_URL, FAKE_API_KEY, FAKE_TOKEN, PHONES, FakeApi, document, drop, refused, status

CONFIG_ID = "0b7c6d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"
CONFIG = f"{PHONES}/{CONFIG_ID}"
FOUND = document(200, {"id": CONFIG_ID, "name": "n"})


def test_backoff_doubles_up_to_the_cap_and_jitter_stays_in_the_upper_half() -> None:
    policy = RetryPolicy()
    assert [policy.delay(retry, None, 1.0) for retry in range(1, 8)] == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert policy.delay(3, None, 0.5) == 0.5
    draws = [Retrier(policy, seed=seed).jitter() for seed in range(200)]
    assert all(0.5 <= d < 1.0 for d in draws) and len(set(draws)) > 100


def test_retry_after_in_seconds_or_as_a_date() -> None:
    def answer(value: str | None) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": value} if value is not None else {})

    assert retry_after_seconds(answer("3")) == 3.0
    assert retry_after_seconds(answer("Wed, 21 Oct 2015 07:28:00 GMT")) == 0.0  # in the past
    assert retry_after_seconds(answer("Wed, 21 Oct 2015 07:28:00 GMT"), now=lambda: 1445412470.0) == 10.0
    assert retry_after_seconds(answer("soon")) is None
    assert retry_after_seconds(answer(None)) is None


@pytest.mark.parametrize("answer", [status(503), status(502), status(504), status(500), status(429), drop()])
def test_idempotent_requests_are_retried_with_growing_waits(answer: httpx.Response | Exception) -> None:
    api = FakeApi().on("GET", CONFIG, answer, answer, answer, FOUND)
    assert api.client().get_config(CONFIG_ID) == {"id": CONFIG_ID, "name": "n"}
    assert api.sent() == [f"GET {CONFIG}"] * 4
    assert api.sleeps == [0.25, 0.5, 1.0]


def test_max_retries_bounds_one_request() -> None:
    api = FakeApi().on("GET", CONFIG, status(503, "try later"))
    with pytest.raises(PhoneApiError) as raised:
        api.client(max_retries=3).get_config(CONFIG_ID)
    assert str(raised.value) == f"read phone config {CONFIG_ID} failed: HTTP 503: try later (after 4 attempts)"
    assert len(api.requests) == 4 and api.sleeps == [0.25, 0.5, 1.0]


def test_the_deadline_stops_retries_mid_backoff_long_before_max_retries() -> None:
    # Each request takes 0.5 s; waits 0.25, 0.5, 1, 2 fit in 10 s, the next one (4 s from 6.25 s) would not.
    api = FakeApi(latency=0.5).on("GET", CONFIG, status(503, "try later"))
    with pytest.raises(PhoneApiError) as raised:
        api.client(max_retries=100, timeout=10).get_config(CONFIG_ID)
    assert str(raised.value) == (
        f"read phone config {CONFIG_ID} failed: HTTP 503: try later "
        "(after 5 attempts; the 10 s phonecfg:timeout ran out)"
    )
    assert len(api.requests) == 5 and api.sleeps == [0.25, 0.5, 1.0, 2.0]
    assert api.now == 6.25  # gave up at once instead of sleeping past the deadline


def test_one_deadline_spans_every_request_of_an_operation() -> None:
    # Alone, the DELETE would get 5 attempts; after a slow GET in the same operation, its budget is what is left.
    api = FakeApi(latency=0.5).on("GET", CONFIG, FOUND).on("DELETE", CONFIG, status(503, "busy"))
    client = api.client(max_retries=100, timeout=10)
    with client.operation():
        api.now += 8.0  # e.g. a read that took long
        client.get_config(CONFIG_ID)
        with pytest.raises(PhoneApiError, match=r"\(after 2 attempts; the 10 s phonecfg:timeout ran out\)"):
            client.delete_config(CONFIG_ID)
    assert api.sleeps == [0.25]
    # A new operation starts with a full budget again.
    api.now, api.sleeps = 0.0, []
    with pytest.raises(PhoneApiError, match=r"\(after 5 attempts; the 10 s phonecfg:timeout ran out\)"):
        client.delete_config(CONFIG_ID)


def test_each_attempt_times_out_no_later_than_the_deadline() -> None:
    api = FakeApi().on("GET", CONFIG, FOUND)
    client = api.client(timeout=120, request_timeout=30)
    with client.operation():
        client.get_config(CONFIG_ID)
        api.now = 110.0
        client.get_config(CONFIG_ID)
        api.now = 119.0
        client.get_config(CONFIG_ID)  # past what is left: the first attempt still goes out, with a short timeout
    reads = [r.extensions["timeout"]["read"] for r in api.requests]
    assert reads == [30.0, 10.0, MIN_ATTEMPT_TIMEOUT]


def test_retry_after_is_honoured_exactly_and_capped() -> None:
    api = FakeApi().on(
        "GET",
        CONFIG,
        status(429, headers={"Retry-After": "7"}),
        status(503, headers={"Retry-After": "3600"}),
        FOUND,
    )
    api.client(timeout=600).get_config(CONFIG_ID)
    assert api.sleeps == [7.0, 60.0]  # no jitter on a server's own hint; an hour is capped to a minute


def test_a_retry_after_beyond_the_deadline_fails_at_once() -> None:
    api = FakeApi().on("GET", CONFIG, status(429, "slow down", headers={"Retry-After": "45"}))
    with pytest.raises(PhoneApiError) as raised:
        api.client(timeout=30).get_config(CONFIG_ID)
    assert str(raised.value).endswith("HTTP 429: slow down (the 30 s phonecfg:timeout ran out)")
    assert api.sleeps == [] and len(api.requests) == 1


@pytest.mark.parametrize("answer", [status(400), status(404), status(409), status(422)])
def test_client_errors_are_not_retried(answer: httpx.Response) -> None:
    api = FakeApi().on("PATCH", CONFIG, answer)
    with pytest.raises(PhoneApiError, match=f"HTTP {answer.status_code}: scripted$"):
        api.client().update_config(CONFIG_ID, {"description": "d"})
    assert len(api.requests) == 1 and api.sleeps == []


@pytest.mark.parametrize("answer", [status(429), status(503), refused()])
def test_a_post_the_server_surely_did_not_process_is_retried(answer: httpx.Response | Exception) -> None:
    api = FakeApi().on("POST", PHONES, answer, document(201, {"id": "new"}))
    assert api.client().post_config({"name": "n", "security": {}}, label="'n'") == {"id": "new"}
    assert api.sent() == [f"POST {PHONES}"] * 2  # and no lookup


def test_the_debug_log_shows_requests_and_retries_without_credentials(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="pulumi_phonecfg")
    api = FakeApi(latency=0.012).on("POST", PHONES, status(503), document(201, {"id": "new"}))
    body = {"name": "n", "security": {"authentication": True, "username": "u", "password": "fake-sip-password-log"}}
    api.client().post_config(body, label="'n'")
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0].startswith(f"POST {PHONES} -> 503 (12 ms) body=")
    assert '"password": "[redacted]"' in lines[0]
    assert lines[1] == "retry 1 of 5 in 0.25 s"
    assert lines[2].startswith(f"POST {PHONES} -> 201")
    assert all("fake-sip-password-log" not in line and FAKE_TOKEN not in line for line in lines)


# -- the API-key exchange shares the policy and the deadline ------------------------------------------------------

TOKEN_OK = document(200, {"access_token": "fake-exchanged-token", "expires_in": 3600})


def test_token_exchange_is_retried_with_backoff_and_retry_after() -> None:
    api = (
        FakeApi()
        .on("POST", "/identity/token", status(503), drop(), status(429, headers={"Retry-After": "2"}), TOKEN_OK)
        .on("GET", CONFIG, FOUND)
    )
    client = api.client(token=None, api_key=FAKE_API_KEY, auth_type="ibm_iam", auth_url=AUTH_URL)
    client.get_config(CONFIG_ID)
    assert api.sent() == ["POST /identity/token"] * 4 + [f"GET {CONFIG}"]
    assert api.sleeps == [0.25, 0.5, 2.0]
    assert api.requests[-1].headers["Authorization"] == "Bearer fake-exchanged-token"


def test_token_exchange_gives_up_after_three_retries_naming_the_step() -> None:
    api = FakeApi().on("POST", "/identity/token", status(502, "bad gateway"))
    client = api.client(token=None, api_key=FAKE_API_KEY, auth_type="ibm_iam", auth_url=AUTH_URL, max_retries=10)
    with pytest.raises(AuthenticationError) as raised:
        client.get_config(CONFIG_ID)
    assert str(raised.value) == (
        f"authenticate with IBM Cloud IAM ({AUTH_URL}) failed (after 4 attempts): HTTP 502: bad gateway"
    )
    assert api.sleeps == [0.25, 0.5, 1.0] and api.sent("GET") == []


def test_token_exchange_counts_against_the_operation_deadline() -> None:
    api = FakeApi(latency=1.0).on("POST", "/identity/token", status(503, "down"))
    client = api.client(token=None, api_key=FAKE_API_KEY, auth_type="mcsp", auth_url=AUTH_URL, timeout=5)
    with client.operation():
        api.now += 3.0
        with pytest.raises(AuthenticationError, match=r"\(after 2 attempts; the 5 s phonecfg:timeout ran out\)"):
            client.get_config(CONFIG_ID)
    assert api.sleeps == [0.25]


def test_a_rejected_api_key_is_not_retried_nor_asked_again() -> None:
    rejected = document(400, {"errorCode": "BXNIM0415E", "errorMessage": "Provided API key could not be found."})
    api = FakeApi().on("POST", "/identity/token", rejected).on("GET", CONFIG, FOUND)
    client = api.client(token=None, api_key=FAKE_API_KEY, auth_type="ibm_iam", auth_url=AUTH_URL)
    for _ in range(2):
        with pytest.raises(AuthenticationError, match="failed: HTTP 400: BXNIM0415E: Provided API key"):
            client.get_config(CONFIG_ID)
    assert api.sent() == ["POST /identity/token"] and api.sleeps == []


def test_an_operation_s_own_timeout_replaces_phonecfg_timeout() -> None:
    # The engine's customTimeouts (native plugin): 3 s instead of 100 s. Each request takes 0.5 s: waits 0.25
    # and 0.5 fit, the next (1 s from 2.25 s) would not.
    api = FakeApi(latency=0.5).on("GET", CONFIG, status(503, "try later"))
    client = api.client(max_retries=100, timeout=100)
    with client.operation(3.0), pytest.raises(PhoneApiError) as raised:
        client.get_config(CONFIG_ID)
    assert str(raised.value).endswith("(after 3 attempts; the 3 s customTimeouts ran out)")
    assert api.sleeps == [0.25, 0.5]


def test_a_cancellation_stops_the_retries_after_the_attempt_in_flight() -> None:
    api = FakeApi().on("GET", CONFIG, status(503, "busy"))
    client = api.client(max_retries=100, timeout=100)
    client.retrier.cancellation.cancel()
    with pytest.raises(PhoneApiError) as raised:
        client.get_config(CONFIG_ID)
    assert str(raised.value) == (
        f"read phone config {CONFIG_ID} failed: HTTP 503: busy (retries stopped: the update was cancelled)"
    )
    assert len(api.requests) == 1 and api.sleeps == []
