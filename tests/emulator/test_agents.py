"""The agents listing (``GET /v1/orchestrate/agents``): filtering, derived ids, ``--agents`` seeding, auth."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from pulumi_phonecfg.emulator import server, start_emulator
from pulumi_phonecfg.emulator.agents import AgentsFileError, derived_id, parse_agents
from pulumi_phonecfg.emulator.testing import EmulatorStartupError

from .conftest import MakeClient, log

AGENTS = "/v1/orchestrate/agents"
DEMO_NAMES = ["customer-care", "billing", "after-hours"]
SEEDED_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def names_of(agents: list[dict[str, Any]]) -> list[str]:
    return [a["name"] for a in agents]


def envs_of(agent: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e["id"] for e in agent["environments"]}


# ------------------------------------------------------------------------------------- demo set


def test_without_names_every_demo_agent_is_listed(client: TestClient) -> None:
    r = client.get(AGENTS)
    assert r.status_code == 200
    agents = r.json()
    assert names_of(agents) == DEMO_NAMES
    for agent in agents:
        assert set(agent) == {"id", "name", "display_name", "environments"}
        uuid.UUID(agent["id"])
        for env in agent["environments"]:
            uuid.UUID(env["id"])
    by_name = {a["name"]: a for a in agents}
    assert list(envs_of(by_name["customer-care"])) == ["draft", "live"]
    assert list(envs_of(by_name["billing"])) == ["draft", "live"]
    assert list(envs_of(by_name["after-hours"])) == ["draft"]  # never deployed
    assert by_name["customer-care"]["display_name"] == "Customer Care"
    every_id = [a["id"] for a in agents] + [e["id"] for a in agents for e in a["environments"]]
    assert len(set(every_id)) == len(every_id)


def test_names_filter_by_exact_name(client: TestClient) -> None:
    assert names_of(client.get(AGENTS, params={"names": "billing"}).json()) == ["billing"]
    assert client.get(AGENTS, params={"names": "Billing"}).json() == []
    assert client.get(AGENTS, params={"names": "bill"}).json() == []
    assert client.get(AGENTS, params={"names": "no-such-agent"}).json() == []


def test_repeated_names_return_each_match_once(client: TestClient) -> None:
    r = client.get(f"{AGENTS}?names=after-hours&names=customer-care&names=missing&names=after-hours")
    assert r.status_code == 200
    assert names_of(r.json()) == ["customer-care", "after-hours"]  # listing order, no duplicates


def test_adk_query_parameters_are_accepted_and_ignored(client: TestClient) -> None:
    r = client.get(
        AGENTS, params={"names": "billing", "include_hidden": "true", "include": "global", "workspace_id": "w"}
    )
    assert r.status_code == 200
    assert names_of(r.json()) == ["billing"]
    assert names_of(client.get(AGENTS, params={"include_hidden": "maybe"}).json()) == DEMO_NAMES


def test_ids_are_derived_from_the_instance_id(make_client: MakeClient) -> None:
    first = make_client(instance_id="tenant-a").get(AGENTS).json()
    again = make_client(instance_id="tenant-a").get(AGENTS).json()
    other = make_client(instance_id="tenant-b").get(AGENTS).json()
    assert first == again
    assert names_of(first) == names_of(other)
    for a, b in zip(first, other, strict=True):
        assert a["id"] != b["id"]
        assert set(envs_of(a).values()).isdisjoint(envs_of(b).values())
    care = first[0]
    assert care["id"] == derived_id("tenant-a", "customer-care")
    assert envs_of(care)["live"] == derived_id("tenant-a", "customer-care", "live")


@pytest.mark.parametrize(
    "headers", [{"Authorization": ""}, {"Authorization": "Bearer wrong"}], ids=["missing", "wrong-token"]
)
def test_listing_requires_a_bearer_token(client: TestClient, headers: dict[str, str]) -> None:
    r = client.get(AGENTS, headers=headers)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"


def test_listing_is_served_under_the_instance_prefix_and_logged(make_client: MakeClient) -> None:
    c = make_client(instance_id="inst-agents")
    direct = c.get(AGENTS, params={"names": "billing"}).json()
    assert c.get(f"/instances/inst-agents{AGENTS}", params={"names": "billing"}).json() == direct
    assert c.get(f"/instances/other{AGENTS}").status_code == 404
    assert [(e["method"], e["path"], e["query"], e["status"]) for e in log(c)] == [
        ("GET", AGENTS, {"names": "billing"}, 200),
        ("GET", AGENTS, {"names": "billing"}, 200),
        ("GET", AGENTS, {}, 404),
    ]


def test_listing_honours_fault_rules(client: TestClient) -> None:
    client.post("/_emulator/faults", json=[{"path": "^/v1/orchestrate/agents", "kind": "status", "times": 1}])
    assert client.get(AGENTS).status_code == 503
    assert client.get(AGENTS).status_code == 200


# ------------------------------------------------------------------------------------- seeding


def test_settings_agents_replace_the_demo_set(make_client: MakeClient) -> None:
    seeded = parse_agents(
        [
            {"name": "sales", "id": SEEDED_ID.upper(), "environments": [{"name": "live", "id": SEEDED_ID}]},
            {"name": "triage", "display_name": "Triage desk", "environments": []},
        ],
        "inst-s",
    )
    agents = make_client(instance_id="inst-s", agents=seeded).get(AGENTS).json()
    assert agents == [
        {
            "id": SEEDED_ID,
            "name": "sales",
            "display_name": "sales",
            "environments": [{"id": SEEDED_ID, "name": "live"}],
        },
        {"id": derived_id("inst-s", "triage"), "name": "triage", "display_name": "Triage desk", "environments": []},
    ]


def test_empty_seed_serves_no_agents(make_client: MakeClient) -> None:
    assert make_client(agents=()).get(AGENTS).json() == []


def test_agents_file_seeds_a_real_emulator_per_instance(tmp_path: Path) -> None:
    seed = tmp_path / "agents.json"
    seed.write_text(
        json.dumps(
            [
                {"name": "customer-care"},
                {"name": "pinned", "id": SEEDED_ID, "environments": [{"name": "draft"}, {"name": "live"}]},
            ]
        )
    )
    listings = []
    for instance in ("dev-instance", "prod-instance"):
        with start_emulator(extra_args=["--instance-id", instance, "--agents", str(seed)]) as emu:
            r = httpx.get(f"{emu.instance_url}{AGENTS}", headers={"Authorization": f"Bearer {emu.token}"})
            assert r.status_code == 200
            listings.append(r.json())
    dev, prod = listings
    assert names_of(dev) == names_of(prod) == ["customer-care", "pinned"]
    assert dev[0]["id"] == derived_id("dev-instance", "customer-care")
    assert prod[0]["id"] == derived_id("prod-instance", "customer-care")
    assert dev[0]["id"] != prod[0]["id"]
    assert envs_of(dev[0])["live"] != envs_of(prod[0])["live"]
    assert dev[1]["id"] == prod[1]["id"] == SEEDED_ID  # an explicit id is kept as given
    assert envs_of(dev[1])["draft"] == derived_id("dev-instance", "pinned", "draft")


BAD_SEEDS: dict[str, tuple[str, str]] = {
    "not-json": ("[{", "not valid JSON"),
    "not-a-list": ('{"name": "a"}', "expected a JSON list of agents, got dict"),
    "item-not-object": ('["a"]', "[0]: expected an object, got str"),
    "missing-name": ('[{"display_name": "A"}]', "[0].name: required"),
    "empty-name": ('[{"name": " "}]', "[0].name: expected a non-empty string"),
    "unknown-key": ('[{"name": "a", "nmae": "b"}]', "[0]: unknown key 'nmae'"),
    "duplicate-name": ('[{"name": "a"}, {"name": "a"}]', "[1].name: duplicate agent name 'a'"),
    "bad-agent-id": ('[{"name": "a", "id": "42"}]', "[0].id: not a UUID: '42'"),
    "bad-env-name": ('[{"name": "a", "environments": [{"name": "prod"}]}]', "must be 'draft' or 'live'"),
    "duplicate-env": ('[{"name": "a", "environments": [{"name": "live"}, {"name": "live"}]}]', "duplicate"),
    "envs-not-list": ('[{"name": "a", "environments": "live"}]', "[0].environments: expected a list"),
    "bad-env-id": ('[{"name": "a", "environments": [{"name": "live", "id": "x"}]}]', "environments[0].id"),
}


@pytest.mark.parametrize("case", sorted(BAD_SEEDS))
def test_bad_agents_file_is_one_line_naming_the_problem(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, expected = BAD_SEEDS[case]
    seed = tmp_path / "agents.json"
    seed.write_text(content)
    code = server.main(["--token", "t", "--port", "0", "--db", str(tmp_path / "x.db"), "--agents", str(seed)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"phonecfg emulator: --agents {seed}")
    assert expected in lines[0]


def test_missing_agents_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.json"
    assert server.main(["--token", "t", "--agents", str(missing)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"phonecfg emulator: --agents {missing}: cannot read: FileNotFoundError")


def test_bad_agents_file_stops_the_real_process(tmp_path: Path) -> None:
    seed = tmp_path / "agents.json"
    seed.write_text('[{"name": 7}]')
    with pytest.raises(EmulatorStartupError, match=r"exited before printing its URL \(exit code 2\)") as exc:
        start_emulator(db_path=tmp_path / "x.db", extra_args=["--agents", str(seed)])
    assert "[0].name: expected a non-empty string, got int" in str(exc.value)


def test_parse_agents_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match=r"^agents: \[0\]\.environments\[0\]: unknown key 'id_'"):
        parse_agents([{"name": "a", "environments": [{"name": "live", "id_": "x"}]}], "i")
    assert issubclass(AgentsFileError, ValueError)


# ------------------------------------------------------------------------------------- one agent


def test_one_agent_by_id(make_client: MakeClient) -> None:
    c = make_client(instance_id="inst-id")
    listed = c.get(AGENTS).json()
    for agent in listed:
        assert c.get(f"{AGENTS}/{agent['id']}").json() == agent
        assert c.get(f"{AGENTS}/{agent['id'].upper()}").json() == agent
    other = derived_id("another-instance", "billing")
    r = c.get(f"{AGENTS}/{other}")
    assert r.status_code == 404
    assert r.json() == {"detail": f"Agent {other} not found"}  # the ADK maps "Agent ... not found" to no agent
    assert c.get(f"{AGENTS}/billing").status_code == 422
    assert c.get(f"{AGENTS}/{listed[0]['id']}", headers={"Authorization": ""}).status_code == 401
