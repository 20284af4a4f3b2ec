"""Create without duplicates, in process: ambiguous POSTs, the lookup that resolves them, the compensating DELETE.

A POST that may have been committed is never simply repeated: the client lists the configs and adopts the one the
failed POST created, POSTs again only when none appeared, and refuses to guess when several did. A create whose
follow-up PATCH fails deletes the half-created config, all within the one deadline of the provider operation.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_phonecfg.core.http.errors import AmbiguousCreateError, PartialCreateError, PhoneApiError
from pulumi_phonecfg.core.lifecycle.known_configs import KnownConfigs, post_without_duplicates
from pulumi_phonecfg.core.lifecycle.phone_config import check_inputs, create_config
from pulumi_phonecfg.provider import PhoneConfigProvider
from tests.core.http.fake_api import PHONES, FakeApi, document, drop, status

BODY = {"name": "Support trunk", "security": {}}
HALF = "4a1f0c9e-0d2b-4c3a-9e8f-7a6b5c4d3e2f"  # the config a create leaves half made
NOW = "2999-01-01T00:00:00Z"  # created "after the POST began", whatever the real clock says


def config(config_id: str, name: str = "Support trunk", **extra: Any) -> dict[str, Any]:
    return {"id": config_id, "name": name, "service_provider": "sip_trunk", "created_on": NOW, **extra}


def listing(*configs: dict[str, Any]) -> httpx.Response:
    return document(200, {"phones": list(configs)})


@pytest.mark.parametrize("failure", [status(500), status(502), status(504), drop()], ids=str)
def test_an_ambiguous_post_whose_config_appeared_is_adopted_not_repeated(failure: httpx.Response | Exception) -> None:
    api = (
        FakeApi()
        .on("POST", PHONES, failure)
        .on("GET", PHONES, listing(config("other", name="Other trunk"), config("mine")))
    )
    created = post_without_duplicates(api.client(), BODY, label="'Support trunk'")
    assert created["id"] == "mine"
    assert api.sent() == [f"POST {PHONES}", f"GET {PHONES}"]


def test_an_ambiguous_post_whose_config_did_not_appear_is_sent_again() -> None:
    api = FakeApi().on("POST", PHONES, status(500), document(201, config("new"))).on("GET", PHONES, listing())
    assert post_without_duplicates(api.client(), BODY, label="'Support trunk'")["id"] == "new"
    assert api.sent() == [f"POST {PHONES}", f"GET {PHONES}", f"POST {PHONES}"]
    assert api.sleeps == [0.25]


def test_an_old_config_of_the_same_name_is_not_mistaken_for_ours() -> None:
    old = config("old", created_on="2001-01-01T00:00:00Z")
    api = FakeApi().on("POST", PHONES, status(502), document(201, config("new"))).on("GET", PHONES, listing(old))
    assert post_without_duplicates(api.client(), BODY, label="'Support trunk'")["id"] == "new"


def test_a_create_that_went_through_more_than_once_names_every_copy() -> None:
    api = FakeApi().on("POST", PHONES, status(500)).on("GET", PHONES, listing(config("copy-1"), config("copy-2")))
    with pytest.raises(PhoneApiError) as raised:
        post_without_duplicates(api.client(), BODY, label="'Support trunk'")
    assert str(raised.value) == (
        "create phone config 'Support trunk' failed: HTTP 500: the create may have gone through more than once: "
        "configs copy-1, copy-2 appeared; delete the extra"
    )
    assert api.sent("POST") == [f"POST {PHONES}"]  # never a third copy


def test_a_failed_lookup_after_an_ambiguous_post_says_so_and_stops() -> None:
    api = FakeApi().on("POST", PHONES, status(502, "bad gateway")).on("GET", PHONES, status(403, "forbidden"))
    with pytest.raises(PhoneApiError) as raised:
        post_without_duplicates(api.client(), BODY, label="'Support trunk'")
    assert str(raised.value) == (
        "create phone config 'Support trunk' failed: HTTP 502: bad gateway; could not check whether it was created: "
        "list phone configs failed: HTTP 403: forbidden"
    )
    assert api.sent() == [f"POST {PHONES}", f"GET {PHONES}"]


def test_ambiguous_posts_stop_at_the_operation_deadline() -> None:
    api = FakeApi(latency=2.0).on("POST", PHONES, status(500, "boom")).on("GET", PHONES, listing())
    with pytest.raises(AmbiguousCreateError) as raised:
        post_without_duplicates(api.client(max_retries=50, timeout=10), BODY, label="'Support trunk'")
    # A POST and its lookup take 4 s: the waits of 0.25 and 0.5 s end before 10 s, the third (1 s from 12.75 s)
    # would not. Not 51 rounds: the deadline, not maxRetries, ends it.
    assert str(raised.value).endswith("boom; no config appeared (after 3 attempts; the 10 s phonecfg:timeout ran out)")
    assert api.sent("POST") == [f"POST {PHONES}"] * 3 and api.sleeps == [0.25, 0.5]


# -- the lifecycle: create + follow-up PATCH, compensated when the PATCH fails -------------------------------------

TRUNK = {"name": "Support trunk", "phone_numbers": [{"phone_number": "+14155550123"}]}


def lifecycle_api(latency: float = 0.0) -> FakeApi:
    """The name is free: a lifecycle that lists the configs before it creates one finds none."""
    return FakeApi(latency=latency).on("GET", PHONES, listing())


def writes(api: FakeApi) -> list[str]:
    return [request for request in api.sent() if not request.startswith("GET ")]


def create(api: FakeApi, props: dict[str, Any]) -> Any:
    client = api.client()
    return create_config(client, props, known=KnownConfigs(client.list_configs), adopt_default=False)


def checked(props: dict[str, Any]) -> dict[str, Any]:
    result = check_inputs(props)
    assert not result.failures, result.failures
    return dict(result.inputs)


def test_a_failed_follow_up_patch_deletes_the_half_created_config() -> None:
    api = (
        lifecycle_api()
        .on("POST", PHONES, document(201, config(HALF)))
        .on("PATCH", f"{PHONES}/{HALF}", status(422, [{"loc": ["body", "phone_numbers"], "msg": "bad"}]))
        .on("DELETE", f"{PHONES}/{HALF}", httpx.Response(204))
    )
    with pytest.raises(PhoneApiError) as raised:
        create(api, checked(TRUNK))
    assert str(raised.value).endswith(
        "phone config 'Support trunk' failed: HTTP 422: phone_numbers: bad; "
        f"the half-created config {HALF} was deleted again"
    )
    assert writes(api) == [f"POST {PHONES}", f"PATCH {PHONES}/{HALF}", f"DELETE {PHONES}/{HALF}"]


def test_a_failing_compensation_delete_says_the_config_could_not_be_deleted() -> None:
    api = (
        lifecycle_api()
        .on("POST", PHONES, document(201, config(HALF)))
        .on("PATCH", f"{PHONES}/{HALF}", status(422, "rejected"))
        .on("DELETE", f"{PHONES}/{HALF}", status(403, "not allowed"))
    )
    with pytest.raises(PhoneApiError) as raised:
        create(api, checked(TRUNK))
    assert str(raised.value).endswith(
        f"phone config 'Support trunk' failed: HTTP 422: rejected; the half-created config {HALF} could NOT be "
        "deleted (not allowed): delete it by hand"
    )


def test_a_create_neither_finished_nor_undone_carries_the_config_as_created() -> None:
    api = (
        lifecycle_api()
        .on("POST", PHONES, document(201, config(HALF)))
        .on("PATCH", f"{PHONES}/{HALF}", status(422, "rejected"))
        .on("DELETE", f"{PHONES}/{HALF}", status(403, "not allowed"))
    )
    with pytest.raises(PartialCreateError) as raised:
        create(api, checked(TRUNK))
    partial = raised.value
    assert partial.config_id == HALF and partial.outputs["name"] == "Support trunk"
    assert partial.outputs["phone_numbers"] == []  # as created: the PATCH that sets them failed
    assert partial.cause.endswith("phone config 'Support trunk' failed: HTTP 422: rejected")


def test_the_provider_gives_create_patch_and_compensation_one_deadline() -> None:
    # The PATCH retries until the deadline (a third wait would end at 5.75 s); the compensating DELETE, past the
    # deadline, still gets its one attempt but no retry.
    api = (
        lifecycle_api(latency=1.0)
        .on("POST", PHONES, document(201, config(HALF)))
        .on("PATCH", f"{PHONES}/{HALF}", status(503, "busy"))
        .on("DELETE", f"{PHONES}/{HALF}", status(503, "still busy"))
    )
    provider = PhoneConfigProvider()
    provider.session()._client = api.client(max_retries=100, timeout=5.5)
    with pytest.raises(PhoneApiError) as raised:
        provider.create(checked(TRUNK))
    assert str(raised.value).endswith(
        "phone config 'Support trunk' failed: HTTP 503: busy (after 3 attempts; the 5.5 s phonecfg:timeout "
        f"ran out); the half-created config {HALF} could NOT be deleted (still busy (the 5.5 s phonecfg:timeout ran "
        "out)): delete it by hand"
    )
    assert writes(api) == [f"POST {PHONES}"] + [f"PATCH {PHONES}/{HALF}"] * 3 + [f"DELETE {PHONES}/{HALF}"]
    assert api.sleeps == [0.25, 0.5]
