"""`phonecfg export` rendering: a pure function of API documents and agents, checked by running its output.

The generated `__main__.py` is executed with stand-ins for `pulumi` and `pulumi_phonecfg` that record what the
program declares; what it declares must be the exported document, field for field, in canonical form.
"""

from __future__ import annotations

import ast
import base64
import random
import subprocess
import sys
import tomllib
import types
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulumi_phonecfg.commands.export import (
    ExportError,
    ProjectOptions,
    SecretKey,
    Selection,
    check_adoptable,
    render_project,
    resource_names,
    select_configs,
    slug,
)
from pulumi_phonecfg.core.lifecycle.agents import Agent, AgentEnvironment
from pulumi_phonecfg.core.schema.canonical import canonical_field, fields_for
from pulumi_phonecfg.core.schema.models import validate_inputs


def _id(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts)))


def make_agent(name: str, environments: Sequence[str] = ("draft", "live")) -> Agent:
    return Agent(_id(name), name, name.title(), tuple(AgentEnvironment(_id(name, e), e) for e in environments))


CARE = make_agent("customer-care")
BILLING = make_agent("billing")
AFTER_HOURS = make_agent("after-hours", ("draft",))
AGENTS = [CARE, BILLING, AFTER_HOURS]
UNKNOWN_AGENT = _id("gone")
URL = "https://api.us-south.watson-orchestrate.cloud.ibm.com/instances/0000"


def env_id(agent: Agent, name: str) -> str:
    return next(e.id for e in agent.environments if e.name == name)


def sip_document(config_id: str = "c-sip", name: str = "Support SIP trunk", **extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": config_id,
        "name": name,
        "description": 'Inbound "support" line\nsecond line',
        "service_provider": "sip_trunk",
        "security": {
            "secure_trunking": True,
            "authentication": True,
            "username": "trunk-user",
            "password": None,
            "password_is_set": True,
            "api_key": None,
            "client_secret": None,
        },
        "custom_invite_headers": [{"name": "X-Customer-Id"}, {"name": "X-Call-Reason"}],
        "put_caller_on_hold_on_transfer": False,
        "send_provisional_response": True,
        "error_handling": {
            "fallback_sip_uri": "sip:overflow@pbx.example.com",
            "transfer_failure": {
                "reply_message": "Sorry, nobody can take your call right now.",
                "disconnect_call": True,
            },
            "call_failure": {"reply_message": "Sorry."},
        },
        "phone_numbers": [
            {
                "phone_number": "+14155550101",
                "description": "hotline",
                "agent_id": CARE.id,
                "environment_id": env_id(CARE, "live"),
            },
            {"phone_number": "+14155550102", "description": None, "agent_id": None, "environment_id": None},
        ],
        "attached_environments": [],
        "tenant_id": "sub_0000",
        "created_on": "2026-11-26T10:00:00Z",
        "created_by": "someone",
        "updated_at": "2026-11-26T10:00:00Z",
        "updated_by": "someone",
    }
    document.update(extra)
    return document


def genesys_document(config_id: str = "c-gen", name: str = "Genesys Audio Connector", **extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": config_id,
        "name": name,
        "description": None,
        "service_provider": "genesys_audio_connector",
        "security": {"api_key": None, "client_secret": None, "password_is_set": False},
        "attached_environments": [
            {
                "agent_id": CARE.id,
                "environment_id": env_id(CARE, "live"),
                "agent_name": "customer-care",
                "environment_name": "live",
            },
            {"agent_id": AFTER_HOURS.id, "environment_id": env_id(AFTER_HOURS, "draft")},
        ],
        "phone_numbers": [],
        "tenant_id": "sub_0000",
    }
    document.update(extra)
    return document


# --------------------------------------------------------------------------------------------------------------
# Running the generated program


@dataclass
class Declared:
    resource_name: str
    inputs: dict[str, Any]
    kind: str = "PhoneConfig"


def secret_value(key: str) -> str:
    """A fake secret of its own per stack config key (base64 for a client secret), so a crossed wire shows."""
    value = f"fake-secret-{key}"
    return base64.b64encode(value.encode()).decode() if key.endswith("ClientSecret") else value


class Recorder:
    """What a generated program did: resources declared, secrets read, agents looked up, outputs exported."""

    def __init__(self, agents: Sequence[Agent]) -> None:
        self.agents = agents
        self.resources: list[Declared] = []
        self.secret_keys: list[str] = []
        self.lookups: list[tuple[str, str]] = []
        self.exports: dict[str, Any] = {}

    def modules(self) -> dict[str, types.ModuleType]:
        recorder = self

        class Config:
            def require_secret(self, key: str) -> str:
                recorder.secret_keys.append(key)
                return secret_value(key)

        class PhoneConfig:
            def __init__(self, resource_name: str, **inputs: Any) -> None:
                recorder.resources.append(Declared(resource_name, inputs, type(self).__name__))
                self.id = f"id-of-{resource_name}"
                self.sip_uri = self.audio_connect_uri = self.connectors = f"output-of-{resource_name}"

        class PhoneNumber(PhoneConfig):
            pass

        class AgentAttachment(PhoneConfig):
            pass

        def get_agent(name: str, environment: str = "live") -> types.SimpleNamespace:
            recorder.lookups.append((name, environment))
            agent = next(a for a in recorder.agents if a.name == name)
            env = next(e for e in agent.environments if e.name == environment)
            return types.SimpleNamespace(
                agent_id=agent.id, environment_id=env.id, agent_name=agent.name, environment_name=env.name
            )

        pulumi = types.ModuleType("pulumi")
        pulumi.Config = Config  # type: ignore[attr-defined]
        pulumi.export = recorder.exports.__setitem__  # type: ignore[attr-defined]
        phonecfg = types.ModuleType("pulumi_phonecfg")
        phonecfg.PhoneConfig = PhoneConfig  # type: ignore[attr-defined]
        phonecfg.PhoneNumber = PhoneNumber  # type: ignore[attr-defined]
        phonecfg.AgentAttachment = AgentAttachment  # type: ignore[attr-defined]
        phonecfg.get_agent = get_agent  # type: ignore[attr-defined]
        return {"pulumi": pulumi, "pulumi_phonecfg": phonecfg}


def run_program(source: str, agents: Sequence[Agent]) -> Recorder:
    recorder = Recorder(agents)
    saved = {name: sys.modules.get(name) for name in ("pulumi", "pulumi_phonecfg")}
    sys.modules.update(recorder.modules())
    try:
        exec(compile(source, "__main__.py", "exec"), {"__name__": "__main__"})
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return recorder


def canonical_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """The exported config as the provider compares it (credentials aside)."""
    kind = document["service_provider"]
    result = {}
    for name in fields_for(kind):
        value = canonical_field(name, document.get(name), kind)
        if name == "security":
            value = {k: v for k, v in value.items() if k in ("secure_trunking", "authentication", "username")}
        if value is not None:
            result[name] = value
    return result


def canonical_declared(inputs: Mapping[str, Any]) -> dict[str, Any]:
    model, violations = validate_inputs({k: v for k, v in inputs.items() if k != "adopt_existing"})
    assert model is not None, violations
    return canonical_document(model.model_dump(mode="json", exclude_none=True))


def render(
    documents: Sequence[Mapping[str, Any]],
    agents: Sequence[Agent] = AGENTS,
    *,
    package_requirement: str = "pulumi_phonecfg",
    **options: Any,
) -> Any:
    project = ProjectOptions(**({"project": "phone-configs", "stack": "dev", "url": URL} | options))
    return render_project(documents, agents, project, package_requirement=package_requirement)


# --------------------------------------------------------------------------------------------------------------
# The program


def test_program_declares_every_field_of_every_config() -> None:
    documents = [sip_document(), genesys_document()]
    rendered = render(documents)
    run = run_program(rendered.files["__main__.py"], AGENTS)

    declared = {r.resource_name: r.inputs for r in run.resources}
    assert sorted(declared) == ["genesys-audio-connector", "support-sip-trunk"]
    assert canonical_declared(declared["support-sip-trunk"]) == canonical_document(documents[0])
    assert canonical_declared(declared["genesys-audio-connector"]) == canonical_document(documents[1])
    assert all(r.inputs["adopt_existing"] is True for r in run.resources)


def test_agents_by_name_never_by_uuid() -> None:
    rendered = render([sip_document(), genesys_document()])
    program = rendered.files["__main__.py"]
    run = run_program(program, AGENTS)

    assert sorted(set(run.lookups)) == [("after-hours", "draft"), ("customer-care", "live")]
    assert len(run.lookups) == 2, "one lookup per (agent, environment), shared by every use"
    for agent in AGENTS:
        assert agent.id not in program
        for environment in agent.environments:
            assert environment.id not in program
    assert rendered.warnings == ()
    # Attachment names the API returned are tied to the same lookup.
    genesys = next(r for r in run.resources if r.resource_name == "genesys-audio-connector")
    attachment = next(a for a in genesys.inputs["attached_environments"] if a["agent_id"] == CARE.id)
    assert (attachment["agent_name"], attachment["environment_name"]) == ("customer-care", "live")


def test_agent_the_tenant_cannot_name_keeps_its_id_and_warns() -> None:
    document = sip_document(
        phone_numbers=[{"phone_number": "+14155550101", "agent_id": UNKNOWN_AGENT, "environment_id": _id("x")}]
    )
    rendered = render([document])
    run = run_program(rendered.files["__main__.py"], AGENTS)

    assert run.resources[0].inputs["phone_numbers"][0]["agent_id"] == UNKNOWN_AGENT
    assert run.lookups == []
    assert "get_agent" not in rendered.files["__main__.py"]
    assert len(rendered.warnings) == 1
    assert UNKNOWN_AGENT in rendered.warnings[0] and "+14155550101" in rendered.warnings[0]


def test_environment_the_agent_lacks_keeps_the_ids_and_warns() -> None:
    document = genesys_document(attached_environments=[{"agent_id": CARE.id, "environment_id": _id("other")}])
    rendered = render([document])
    assert len(rendered.warnings) == 1 and "'customer-care' has no environment" in rendered.warnings[0]
    assert _id("other") in rendered.files["__main__.py"]


def test_one_secret_key_per_credential_read_with_require_secret() -> None:
    rendered = render([sip_document(), genesys_document()])
    run = run_program(rendered.files["__main__.py"], AGENTS)

    keys = ["genesysAudioConnectorApiKey", "genesysAudioConnectorClientSecret", "supportSipTrunkPassword"]
    assert sorted(run.secret_keys) == keys
    assert sorted(s.key for s in rendered.secrets) == keys
    stack_file = rendered.files["Pulumi.dev.yaml"]
    for key in [*keys, "phonecfg:token"]:
        assert f"#   pulumi config set --stack dev --secret {key} " in stack_file
    assert "config:\n  phonecfg:url: " + f'"{URL}"' in stack_file


def test_each_credential_reads_its_own_config_and_field_key() -> None:
    """Which secret feeds which credential: the SIP password, the Genesys api_key and client_secret, never crossed."""
    rendered = render([sip_document(), genesys_document()])
    assert rendered.secrets == (
        SecretKey("genesysAudioConnectorApiKey", "Genesys Audio Connector", "api_key"),
        SecretKey("genesysAudioConnectorClientSecret", "Genesys Audio Connector", "client_secret"),
        SecretKey("supportSipTrunkPassword", "Support SIP trunk", "password"),
    )
    run = run_program(rendered.files["__main__.py"], AGENTS)
    security = {r.resource_name: r.inputs["security"] for r in run.resources}
    assert security["support-sip-trunk"]["password"] == secret_value("supportSipTrunkPassword")
    assert security["genesys-audio-connector"] == {
        "api_key": secret_value("genesysAudioConnectorApiKey"),
        "client_secret": secret_value("genesysAudioConnectorClientSecret"),
    }


def test_sip_trunk_without_authentication_needs_no_password() -> None:
    security = {"secure_trunking": True, "authentication": False, "password_is_set": False}
    rendered = render([sip_document(security=security)])
    run = run_program(rendered.files["__main__.py"], AGENTS)
    assert run.secret_keys == []
    assert run.resources[0].inputs["security"] == {"secure_trunking": True}


def test_server_defaults_are_left_out() -> None:
    document = sip_document(
        security={"secure_trunking": False, "authentication": False},
        put_caller_on_hold_on_transfer=True,
        send_provisional_response=True,
        custom_invite_headers=[],
        error_handling={},
        phone_numbers=[],
        description="",
    )
    run = run_program(render([document]).files["__main__.py"], AGENTS)
    assert run.resources[0].inputs == {
        "name": "Support SIP trunk",
        "service_provider": "sip_trunk",
        "adopt_existing": True,
    }


def test_api_credential_key_and_extra_provider_settings() -> None:
    rendered = render(
        [genesys_document()], credential_key="phonecfg:apiKey", provider_config={"phonecfg:authType": "ibm_iam"}
    )
    stack_file = rendered.files["Pulumi.dev.yaml"]
    assert "--secret phonecfg:apiKey " in stack_file and "phonecfg:token" not in stack_file
    assert '  phonecfg:authType: "ibm_iam"\n' in stack_file


def pyproject_pulumi_pin() -> str:
    """The package's own `pulumi` requirement, as pyproject.toml writes it."""
    project = tomllib.loads((Path(__file__).resolve().parents[3] / "pyproject.toml").read_text())["project"]
    pins = [d for d in project["dependencies"] if d.startswith("pulumi") and not d.startswith("pulumi_")]
    assert len(pins) == 1, pins
    return str(pins[0])


def specifiers(requirement: str) -> tuple[str, set[str]]:
    """`("pulumi", {">=3.272.0", "<4"})` from `pulumi>=3.272.0,<4` (metadata may reorder the specifiers)."""
    name = requirement.split(next(c for c in requirement if c in "<>=!~"))[0]
    return name.strip(), {part.strip() for part in requirement[len(name) :].split(",")}


def test_project_files() -> None:
    rendered = render([sip_document()], project="acme-phones", stack="prod", package_requirement="pulumi_phonecfg>=1")
    assert sorted(rendered.files) == ["Pulumi.prod.yaml", "Pulumi.yaml", "__main__.py", "requirements.txt"]
    assert rendered.files["Pulumi.yaml"].startswith("name: acme-phones\n")
    assert "  name: python\n" in rendered.files["Pulumi.yaml"]
    assert rendered.files["requirements.txt"].splitlines()[-1] == "pulumi_phonecfg>=1"
    assert specifiers(rendered.files["requirements.txt"].splitlines()[0]) == specifiers(pyproject_pulumi_pin())
    run = run_program(rendered.files["__main__.py"], AGENTS)
    assert sorted(run.exports) == ["support_sip_trunk_id", "support_sip_trunk_sip_uri"]


def test_same_tenant_same_files_whatever_the_listing_order() -> None:
    documents = [sip_document(), genesys_document(), sip_document("c-2", "Support SIP trunk!", phone_numbers=[])]
    first = render(documents).files
    for seed in range(5):
        shuffled = list(documents)
        random.Random(seed).shuffle(shuffled)
        assert render(shuffled).files == first


@pytest.mark.parametrize("as_resources", [False, True])
def test_generated_program_is_formatted_and_lint_clean(tmp_path: Path, as_resources: bool) -> None:
    rendered = render(
        [sip_document(), genesys_document()], numbers_as_resources=as_resources, attachments_as_resources=as_resources
    )
    (tmp_path / "__main__.py").write_text(rendered.files["__main__.py"])
    ruff = [sys.executable, "-m", "ruff"]
    formatted = subprocess.run(
        [*ruff, "format", "--isolated", "--diff", "__main__.py"], cwd=tmp_path, text=True, capture_output=True
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    rules = "E4,E7,E9,F,W,I,UP,B"  # ruff's defaults plus style rules; not E501: strings are the API's own
    lint = subprocess.run(
        [*ruff, "check", "--isolated", "--select", rules, "__main__.py"], cwd=tmp_path, text=True, capture_output=True
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr


# --------------------------------------------------------------------------------------------------------------
# Names


def test_slug() -> None:
    assert slug("Support SIP trunk #2") == "support-sip-trunk-2"
    assert slug("  --Ünïcode--  ") == "n-code"
    assert slug("!!!") == ""


def test_resource_names_are_unique_and_stable() -> None:
    documents = [
        {"id": "b", "name": "Support"},
        {"id": "a", "name": "support"},
        {"id": "c", "name": "Support-2"},
        {"id": "d", "name": "!!!", "service_provider": "genesys_audio_connector"},
        {"id": "e", "name": "SUPPORT"},
    ]
    names = resource_names(documents)
    assert names == {
        "e": "support",
        "b": "support-3",
        "a": "support-4",
        "c": "support-2",
        "d": "genesys-audio-connector",
    }
    assert resource_names(list(reversed(documents))) == names


def test_python_identifiers_avoid_keywords_digits_and_the_modules_own_names() -> None:
    documents = [
        sip_document("1", "config", phone_numbers=[]),
        sip_document("2", "import", phone_numbers=[]),
        sip_document("3", "911 line", phone_numbers=[]),
        sip_document("4", "pulumi", phone_numbers=[]),
    ]
    program = render(documents).files["__main__.py"]
    tree = ast.parse(program)
    targets = [n.targets[0].id for n in tree.body if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)]
    assert targets == ["config", "config_911_line", "config_2", "import_", "pulumi_2"]
    run = run_program(program, AGENTS)
    assert [r.resource_name for r in run.resources] == ["911-line", "config", "import", "pulumi"]


# --------------------------------------------------------------------------------------------------------------
# Selection


LISTING = [
    {"id": "1", "name": "Support", "service_provider": "sip_trunk"},
    {"id": "2", "name": "Sales ", "service_provider": "sip_trunk"},
    {"id": "3", "name": "Support", "service_provider": "genesys_audio_connector"},
]


def test_select_by_name_id_or_all() -> None:
    assert [c["id"] for c in select_configs(LISTING, Selection(all=True))] == ["1", "2", "3"]
    assert [c["id"] for c in select_configs(LISTING, Selection(names=("Sales",)))] == ["2"]
    assert [c["id"] for c in select_configs(LISTING, Selection(names=("Support",), ids=("2",)))] == ["1", "2", "3"]
    assert [c["id"] for c in select_configs([{"id": "AB-1", "name": "x"}], Selection(ids=(" ab-1",)))] == ["AB-1"]


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        (Selection(names=("Nope",)), "no phone config named 'Nope' in the tenant (configs: 'Sales', 'Support')"),
        (
            Selection(ids=("9", "1", "8")),
            "no phone config with id 9, 8 in the tenant (configs: 1 ('Support'), 2 ('Sales'), 3 ('Support'))",
        ),
    ],
)
def test_unknown_name_or_id(selection: Selection, message: str) -> None:
    with pytest.raises(ExportError) as raised:
        select_configs(LISTING, selection)
    assert str(raised.value).startswith(message)


def test_empty_tenant() -> None:
    with pytest.raises(ExportError, match="the tenant has no phone configs: nothing to export"):
        select_configs([], Selection(all=True))


def test_same_name_and_kind_cannot_be_adopted() -> None:
    listing = [*LISTING, {"id": "4", "name": "Support", "service_provider": "sip_trunk"}]
    check_adoptable(listing, [listing[1], listing[2]])  # Sales and the Genesys "Support": fine
    with pytest.raises(ExportError, match=r"configs 1, 4 share the name 'Support' \(sip_trunk\): adopt_existing"):
        check_adoptable(listing, [listing[0]])


# --------------------------------------------------------------------------------------------------------------
# Any document


# The API strips surrounding whitespace (as the ADK's models do), so documents hold stripped strings.
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40).map(str.strip)
_names = _text.filter(lambda s: 0 < len(s) <= 64)


@st.composite
def documents(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 4))
    result = []
    for index in range(count):
        name = draw(_names)
        if draw(st.booleans()):
            result.append(
                sip_document(
                    f"s{index}",
                    name,
                    description=draw(st.none() | _text),
                    custom_invite_headers=[{"name": f"X-{h}"} for h in draw(st.sets(st.sampled_from("ABC")))],
                    error_handling={"call_failure": {"reply_message": draw(_text)}},
                    phone_numbers=[
                        {"phone_number": f"+1415555010{n}", "description": draw(st.none() | _text)}
                        for n in sorted(draw(st.sets(st.integers(0, 9), max_size=3)))
                    ],
                )
            )
        else:
            agent = draw(st.sampled_from(AGENTS))
            environment = draw(st.sampled_from(agent.environments))
            result.append(
                genesys_document(
                    f"g{index}",
                    name,
                    description=draw(st.none() | _text),
                    attached_environments=[{"agent_id": agent.id, "environment_id": environment.id}],
                )
            )
    return result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_tenant_round_trips_through_the_program(docs: list[dict[str, Any]]) -> None:
    rendered = render(docs)
    ast.parse(rendered.files["__main__.py"])
    run = run_program(rendered.files["__main__.py"], AGENTS)
    names = resource_names(docs)
    declared = {r.resource_name: r.inputs for r in run.resources}
    assert sorted(declared) == sorted(names.values())
    for document in docs:
        assert canonical_declared(declared[names[document["id"]]]) == canonical_document(document)


def test_nothing_but_comments_and_plain_settings_in_the_stack_file() -> None:
    stack_file = render([sip_document(), genesys_document()]).files["Pulumi.dev.yaml"]
    settings_lines = [line for line in stack_file.splitlines() if not line.startswith("#")]
    assert settings_lines == ["config:", f'  phonecfg:url: "{URL}"']
