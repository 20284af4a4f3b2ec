"""AgentAttachment's core lifecycle: check and diff without HTTP; attach, adopt, read, relabel and detach against
the real emulator, with the exact requests of each; the writes of one process to one config taking turns (no lost
pair); a write undone by another writer made again (scripted answers)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.errors import ConfigConflictError, InvalidIdError, PhoneApiError
from pulumi_phonecfg.core.http.settings import ProviderSettings
from pulumi_phonecfg.core.lifecycle.agent_attachment import (
    MAX_WRITES,
    check_attachment,
    create_attachment,
    delete_attachment,
    diff_attachment,
    read_attachment,
    update_attachment,
)
from pulumi_phonecfg.core.lifecycle.config_locks import ConfigLocks
from pulumi_phonecfg.core.schema.integration import connector_id
from pulumi_phonecfg.emulator.testing import RunningEmulator
from tests.core.http.fake_api import PHONES as FAKE_PHONES
from tests.core.http.fake_api import FakeApi, document

PHONES = "/v1/channels/phone"
CONFIG = "0b7c5a52-6a8e-4c36-9d1f-2f5a3e9b7c10"
AGENT = "6F1C1D4E-0000-4000-8000-000000000001"
ENV = "6f1c1d4e-0000-4000-8000-000000000002"
OTHER_AGENT = "11111111-2222-4333-8444-555555555555"
OTHER_ENV = "66666666-7777-4888-8999-000000000000"
FAKE_GENESYS_KEY = "fake-genesys-api-key-attach"
GENESYS_SECURITY = {"api_key": FAKE_GENESYS_KEY, "client_secret": "ZmFrZS1zZWNyZXQ="}


# ---- check and diff: no HTTP -----------------------------------------------------------------------------------


def test_check_canonicalises_ids_and_labels() -> None:
    result = check_attachment(
        {"__provider": "p", "config_id": CONFIG, "agent_id": AGENT, "environment_id": ENV, "agent_name": " billing "}
    )
    assert result.failures == []
    assert result.inputs == {
        "config_id": CONFIG,
        "agent_id": AGENT.lower(),
        "environment_id": ENV,
        "agent_name": "billing",
    }


@pytest.mark.parametrize(
    ("news", "field"),
    [
        ({"agent_id": AGENT, "environment_id": ENV}, "config_id"),
        ({"config_id": CONFIG, "environment_id": ENV}, "agent_id"),
        ({"config_id": CONFIG, "agent_id": AGENT}, "environment_id"),
        ({"config_id": "contact-centre", "agent_id": AGENT, "environment_id": ENV}, "config_id"),
        ({"config_id": CONFIG, "agent_id": "billing", "environment_id": ENV}, "agent_id"),
        ({"config_id": CONFIG, "agent_id": AGENT, "environment_id": ENV, "agnet_name": "x"}, "agnet_name"),
    ],
)
def test_check_names_the_field(news: dict[str, Any], field: str) -> None:
    failures = {f.property: f.reason for f in check_attachment(news).failures}
    assert field in failures, failures


def test_a_label_change_updates_and_an_id_change_replaces_detaching_first() -> None:
    olds = {"config_id": CONFIG, "agent_id": AGENT.lower(), "environment_id": ENV, "connector_id": "x"}
    assert diff_attachment(olds, {**olds, "agent_id": AGENT}).changes is False  # spelling is not a change
    relabelled = diff_attachment(olds, {**olds, "agent_name": "billing"})
    assert (relabelled.changes, relabelled.replaces) == (True, [])
    for name, value in (("config_id", OTHER_ENV), ("agent_id", OTHER_AGENT), ("environment_id", OTHER_ENV)):
        moved = diff_attachment(olds, {**olds, name: value})
        assert (moved.replaces, moved.delete_before_replace) == ([name], True)


# ---- against the emulator --------------------------------------------------------------------------------------


@pytest.fixture
def client(phone_api: RunningEmulator) -> Iterator[PhoneApiClient]:
    api = PhoneApiClient(ProviderSettings(url=phone_api.url, token=phone_api.token))
    yield api
    api.close()


def make_config(phone_api: RunningEmulator, *attached: dict[str, Any], kind: str = "genesys_audio_connector") -> str:
    """A config someone else owns, with `attached` on it; the request log is cleared afterwards."""
    api = phone_api.api()
    security = GENESYS_SECURITY if kind == "genesys_audio_connector" else {}
    created = api.post(PHONES, json={"name": "Contact centre", "service_provider": kind, "security": security})
    created.raise_for_status()
    config_id = str(created.json()["id"])
    if attached:
        api.patch(f"{PHONES}/{config_id}", json={"attached_environments": list(attached)}).raise_for_status()
    phone_api.clear_requests()
    return config_id


def stored(phone_api: RunningEmulator, config_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    items = phone_api.api().get(f"{PHONES}/{config_id}").json()["attached_environments"]
    return {(i["agent_id"], i["environment_id"]): {k: v for k, v in i.items() if v is not None} for i in items}


def sent(phone_api: RunningEmulator) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in phone_api.api_requests()]


PLATFORM_PAIR = {"agent_id": OTHER_AGENT, "environment_id": OTHER_ENV, "agent_name": "care", "environment_name": "live"}


def test_attach_adopt_read_relabel_detach_write_only_the_pair(
    client: PhoneApiClient, phone_api: RunningEmulator
) -> None:
    config_id = make_config(phone_api, PLATFORM_PAIR)
    locks = ConfigLocks()
    props = check_attachment({"config_id": config_id, "agent_id": AGENT, "environment_id": ENV}).inputs
    pair = (AGENT.lower(), ENV)
    # Every write: the GET it is made from, the PATCH, and the GET verifying no other writer undid it.
    one_write = [f"GET {PHONES}/{config_id}", f"PATCH {PHONES}/{config_id}", f"GET {PHONES}/{config_id}"]

    created = create_attachment(client, locks, props)
    assert created.id == f"{config_id}/{AGENT.lower()}/{ENV}" and created.adopted is False
    assert sent(phone_api) == one_write
    (patch,) = phone_api.api_requests("PATCH")
    assert patch["query"] == {"append": "false"}
    assert stored(phone_api, config_id) == {
        (OTHER_AGENT, OTHER_ENV): PLATFORM_PAIR,
        pair: {k: v for k, v in props.items() if k != "config_id"},
    }
    assert created.outs["connector_id"] == connector_id(AGENT.lower(), ENV, config_id)
    assert created.outs["audio_connect_uri"].startswith("ws://") and "/tenants/" in created.outs["audio_connect_uri"]

    # Already there with the same labels: adopted, one GET, no write.
    phone_api.clear_requests()
    again = create_attachment(client, locks, props)
    assert (again.adopted, again.outs) == (True, created.outs)
    assert sent(phone_api) == [f"GET {PHONES}/{config_id}"]

    # Refresh: one GET.
    phone_api.clear_requests()
    assert read_attachment(client, created.id, created.outs).outs == created.outs
    assert sent(phone_api) == [f"GET {PHONES}/{config_id}"]

    # A label: GET + PATCH + GET, the other pair untouched.
    phone_api.clear_requests()
    updated = update_attachment(client, locks, created.id, created.outs, {**props, "agent_name": "billing"})
    assert updated.outs["agent_name"] == "billing"
    assert sent(phone_api) == one_write
    assert stored(phone_api, config_id)[(OTHER_AGENT, OTHER_ENV)] == PLATFORM_PAIR
    assert stored(phone_api, config_id)[pair]["agent_name"] == "billing"

    # Detach: GET + PATCH without the pair + GET; then already gone: one GET, no write.
    phone_api.clear_requests()
    delete_attachment(client, locks, created.id, updated.outs)
    assert sent(phone_api) == one_write
    assert stored(phone_api, config_id) == {(OTHER_AGENT, OTHER_ENV): PLATFORM_PAIR}
    phone_api.clear_requests()
    delete_attachment(client, locks, created.id, updated.outs)
    assert sent(phone_api) == [f"GET {PHONES}/{config_id}"]

    # Gone out of band: refresh drops it from the state.
    assert read_attachment(client, created.id, updated.outs).id == ""


def test_a_sip_trunk_or_a_missing_config_is_one_line_before_any_write(
    client: PhoneApiClient, phone_api: RunningEmulator
) -> None:
    trunk = make_config(phone_api, kind="sip_trunk")
    props = {"config_id": trunk, "agent_id": AGENT, "environment_id": ENV}
    with pytest.raises(ConfigConflictError) as on_trunk:
        create_attachment(client, ConfigLocks(), props)
    assert "is a sip_trunk config; only genesys_audio_connector configs have agent attachments" in str(on_trunk.value)
    with pytest.raises(PhoneApiError) as missing:
        create_attachment(client, ConfigLocks(), {**props, "config_id": CONFIG})
    assert str(missing.value).endswith(f"HTTP 404: there is no phone config {CONFIG}")
    assert "\n" not in str(on_trunk.value) + str(missing.value)
    assert [r["method"] for r in phone_api.api_requests()] == ["GET", "GET"]
    delete_attachment(client, ConfigLocks(), "", {**props, "config_id": CONFIG})  # detach from a gone config: done


@pytest.mark.parametrize(
    "bad_id",
    [
        f"{CONFIG}/{AGENT}",
        f"{CONFIG}/{AGENT}/{ENV}/extra",
        f"{CONFIG}/billing/{ENV}",
        f"../../orchestrate/agents/{AGENT}/{ENV}",
    ],
)
def test_an_import_id_is_checked_before_any_request(
    bad_id: str, client: PhoneApiClient, phone_api: RunningEmulator
) -> None:
    with pytest.raises(InvalidIdError) as raised:
        read_attachment(client, bad_id, {})
    assert "is not an agent attachment id (config_id/agent_id/environment_id, three UUIDs)" in str(raised.value)
    assert phone_api.api_requests() == []


def test_import_by_id_reads_the_pair(client: PhoneApiClient, phone_api: RunningEmulator) -> None:
    config_id = make_config(phone_api, PLATFORM_PAIR)
    read = read_attachment(client, f"{config_id}/{OTHER_AGENT.upper()}/{OTHER_ENV}", {})
    assert read.outs == {
        **PLATFORM_PAIR,
        "config_id": config_id,
        "connector_id": connector_id(OTHER_AGENT, OTHER_ENV, config_id),
        "audio_connect_uri": read.outs["audio_connect_uri"],
    }
    assert sent(phone_api) == [f"GET {PHONES}/{config_id}"]


def test_attachments_of_one_process_on_one_config_never_lose_each_other(
    client: PhoneApiClient, phone_api: RunningEmulator
) -> None:
    """Eight attaches at once, each PATCH slowed so that every GET would read a stale list without the lock."""
    config_id = make_config(phone_api, PLATFORM_PAIR)
    phone_api.set_faults([{"method": "PATCH", "path": config_id, "kind": "delay", "delay": 0.15}])
    locks = ConfigLocks()
    pairs = [(f"{n:08d}-0000-4000-8000-000000000001", f"{n:08d}-0000-4000-8000-000000000002") for n in range(8)]
    failures: list[BaseException] = []

    def attach(agent: str, env: str) -> None:
        try:
            create_attachment(client, locks, {"config_id": config_id, "agent_id": agent, "environment_id": env})
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=attach, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert set(stored(phone_api, config_id)) == {(OTHER_AGENT, OTHER_ENV), *pairs}
    assert len(phone_api.api_requests("PATCH")) == len(pairs)  # one write each: none was undone


# ---- another writer between our GET and PATCH (scripted answers) ----------------------------------------------


def genesys(*attached: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": CONFIG,
        "name": "Contact centre",
        "tenant_id": "tenant-1",
        "service_provider": "genesys_audio_connector",
        "attached_environments": list(attached),
    }


def test_a_pair_another_writer_removed_after_our_write_is_written_again() -> None:
    """Another stack's PATCH, made from a GET before ours landed, lands after ours and drops our pair: the
    verifying GET sees it, and the pair is written again from a fresh GET (which keeps their pair)."""
    mine = {"agent_id": AGENT.lower(), "environment_id": ENV}
    theirs = {"agent_id": OTHER_AGENT, "environment_id": OTHER_ENV}
    path = f"{FAKE_PHONES}/{CONFIG}"
    fake = FakeApi()
    fake.on(
        "GET", path, *(document(200, d) for d in (genesys(), genesys(theirs), genesys(theirs), genesys(theirs, mine)))
    )
    fake.on("PATCH", path, document(200, genesys(mine)), document(200, genesys(theirs, mine)))
    client = fake.client()
    created = create_attachment(client, ConfigLocks(), {"config_id": CONFIG, **mine})
    assert created.adopted is False
    assert fake.sent() == [f"GET {path}", f"PATCH {path}", f"GET {path}", f"GET {path}", f"PATCH {path}", f"GET {path}"]
    second_patch = [r for r in fake.requests if r.method == "PATCH"][1]
    assert httpx.Response(200, content=second_patch.content).json() == {"attached_environments": [theirs, mine]}

    # Undone after every write: an error after MAX_WRITES, never an endless loop.
    stubborn = FakeApi().on("GET", path, document(200, genesys())).on("PATCH", path, document(200, genesys()))
    with pytest.raises(ConfigConflictError) as raised:
        create_attachment(stubborn.client(), ConfigLocks(), {"config_id": CONFIG, **mine})
    assert f"after each of {MAX_WRITES} writes" in str(raised.value)
    assert len(stubborn.sent("PATCH")) == MAX_WRITES


def test_a_pair_another_writer_put_back_after_our_detach_is_detached_again() -> None:
    """Another stack's PATCH, made from a GET before our detach landed, puts our pair back: no stack owns it any
    more, so no refresh would remove it. The verifying GET sees it, and the pair is detached again."""
    mine = {"agent_id": AGENT.lower(), "environment_id": ENV}
    theirs = {"agent_id": OTHER_AGENT, "environment_id": OTHER_ENV}
    path = f"{FAKE_PHONES}/{CONFIG}"
    fake = FakeApi()
    back = document(200, genesys(mine, theirs))
    fake.on("GET", path, back, back, back, document(200, genesys(theirs)))
    fake.on("PATCH", path, document(200, genesys(theirs)))
    delete_attachment(fake.client(), ConfigLocks(), f"{CONFIG}/{AGENT.lower()}/{ENV}", {"config_id": CONFIG, **mine})
    assert fake.sent() == [f"GET {path}", f"PATCH {path}", f"GET {path}", f"GET {path}", f"PATCH {path}", f"GET {path}"]
    for patch in (r for r in fake.requests if r.method == "PATCH"):
        assert httpx.Response(200, content=patch.content).json() == {"attached_environments": [theirs]}

    # Put back after every detach: an error after MAX_WRITES, never an endless loop.
    stubborn = FakeApi().on("GET", path, back).on("PATCH", path, document(200, genesys(theirs)))
    with pytest.raises(ConfigConflictError) as raised:
        delete_attachment(stubborn.client(), ConfigLocks(), "", {"config_id": CONFIG, **mine})
    assert f"put back after each of {MAX_WRITES} writes" in str(raised.value)
    assert len(stubborn.sent("PATCH")) == MAX_WRITES
