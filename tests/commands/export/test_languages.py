"""`phonecfg export --language yaml|typescript|hcl`: what each program declares is the exported config, field for field.

The YAML program is evaluated the way Pulumi YAML reads it (PyYAML for the document; `$$` and `${...}` as
pulumi-yaml's `parseInterpolate` reads strings; `fn::invoke` of getAgent answered from the tenant's agents). The
TypeScript program is run by node as a JavaScript module with stand-ins for `@pulumi/pulumi` and `pulumi-phonecfg`
that record what it declares. Either way, the declared inputs (camelCase turned back into API names) must
validate and equal the exported document in canonical form, as for the Python program. HCL (`main.tf`) is read by
test_hcl.py's reader; it joins the tests of every language below.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from support import in_ci

from pulumi_phonecfg.commands.export import hcl, python, typescript
from pulumi_phonecfg.commands.export import yaml as yaml_export
from pulumi_phonecfg.commands.export.model import ProjectOptions, resource_names
from pulumi_phonecfg.core.lifecycle.agents import Agent
from pulumi_phonecfg.core.schema.models import validate_inputs
from pulumi_phonecfg.native.names import keys_to_api

from .test_hcl import run_hcl
from .test_render import (
    AFTER_HOURS,
    AGENTS,
    CARE,
    UNKNOWN_AGENT,
    URL,
    canonical_declared,
    canonical_document,
    documents,
    env_id,
    genesys_document,
    render,
    run_program,
    sip_document,
)

TRICKY = ["${customerCareLive.agentId}", "$$ and $ and ${", "+14155550100", "true", "123", "null", "# x", "a: b", "- c"]


@dataclass
class Declared:
    """What one program declared: resources (name -> inputs, API names), secrets read, agents looked up."""

    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    secret_keys: list[str] = field(default_factory=list)
    lookups: list[tuple[str, str]] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)


def agent_result(agents: Sequence[Agent], name: str, environment: str) -> dict[str, str]:
    agent = next(a for a in agents if a.name == name)
    env = next(e for e in agent.environments if e.name == environment)
    return {"agentId": agent.id, "environmentId": env.id, "agentName": agent.name, "environmentName": env.name}


def fake_secret(key: str) -> str:
    return "ZmFrZS1zZWNyZXQ=" if key.endswith("ClientSecret") else f"fake-secret-{key}"


# --------------------------------------------------------------------------------------------------------------
# YAML, read as Pulumi YAML reads it


def interpolate(text: str, resolve: Any) -> Any:
    """pulumi-yaml's reading of a string: `$$` is `$`, `${a.b}` a reference (alone: its value, not a string)."""
    parts: list[Any] = []
    literal = ""
    rest = text
    while rest:
        if rest.startswith("$$"):
            literal, rest = literal + "$", rest[2:]
        elif rest.startswith("${"):
            end = rest.index("}")
            parts += [literal, resolve(rest[2:end])]
            literal, rest = "", rest[end + 1 :]
        else:
            literal, rest = literal + rest[0], rest[1:]
    parts.append(literal)
    meaningful = [p for p in parts if p != ""]
    if len(meaningful) == 1 and not isinstance(meaningful[0], str):
        return meaningful[0]
    return "".join(str(p) for p in parts)


def run_yaml(program_text: str, agents: Sequence[Agent]) -> Declared:
    program = yaml.safe_load(program_text)
    assert program["runtime"] == "yaml"
    declared = Declared()
    variables: dict[str, dict[str, str]] = {}
    for name, variable in (program.get("variables") or {}).items():
        invoke = variable["fn::invoke"]
        assert invoke["function"] == "phonecfg:index:getAgent"
        arguments = invoke["arguments"]
        declared.lookups.append((arguments["name"], arguments["environment"]))
        variables[name] = agent_result(agents, arguments["name"], arguments["environment"])
    config = program.get("config") or {}
    assert all(c == {"type": "string", "secret": True} for c in config.values())

    def resolve(reference: str) -> Any:
        root, _, attribute = reference.partition(".")
        if root in variables:
            return variables[root][attribute]
        if root in program["resources"] and attribute == "id":
            return f"id-of-{program['resources'][root]['name']}"
        assert root in config and not attribute, reference
        declared.secret_keys.append(root)
        return fake_secret(root)

    def evaluate(value: Any) -> Any:
        if isinstance(value, str):
            return interpolate(value, resolve)
        if isinstance(value, dict):
            return {k: evaluate(v) for k, v in value.items()}
        if isinstance(value, list):
            return [evaluate(v) for v in value]
        return value

    for resource in program["resources"].values():
        assert resource["type"] in (
            f"phonecfg:index:{kind}" for kind in ("PhoneConfig", "PhoneNumber", "AgentAttachment")
        )
        declared.resources[resource["name"]] = keys_to_api(evaluate(resource["properties"]))
    declared.outputs = program.get("outputs") or {}
    return declared


def options(**kwargs: Any) -> ProjectOptions:
    return ProjectOptions(**({"project": "phones", "stack": "dev", "url": URL} | kwargs))


def render_yaml(docs: Sequence[Mapping[str, Any]], agents: Sequence[Agent] = AGENTS, **kwargs: Any) -> Any:
    return yaml_export.render_project(docs, agents, options(**kwargs))


def render_ts(
    docs: Sequence[Mapping[str, Any]], agents: Sequence[Agent] = AGENTS, *, sdk_requirement: str = "*", **kwargs: Any
) -> Any:
    return typescript.render_project(docs, agents, options(**kwargs), sdk_requirement=sdk_requirement)


def assert_declares(declared: Declared, docs: Sequence[Mapping[str, Any]]) -> None:
    names = resource_names(docs)
    assert sorted(declared.resources) == sorted(names.values())
    for document in docs:
        inputs = declared.resources[names[document["id"]]]
        assert inputs["adopt_existing"] is True
        assert canonical_declared(inputs) == canonical_document(document), document["id"]


def test_yaml_program_declares_every_field_of_every_config() -> None:
    docs = [sip_document(), genesys_document()]
    rendered = render_yaml(docs)
    assert sorted(rendered.files) == ["Pulumi.dev.yaml", "Pulumi.yaml"]
    declared = run_yaml(rendered.files["Pulumi.yaml"], AGENTS)
    assert_declares(declared, docs)
    assert sorted(declared.lookups) == [("after-hours", "draft"), ("customer-care", "live")]
    assert sorted(declared.secret_keys) == [
        "genesysAudioConnectorApiKey",
        "genesysAudioConnectorClientSecret",
        "supportSipTrunkPassword",
    ]
    assert declared.outputs == {
        "genesysAudioConnectorId": "${genesysAudioConnector.id}",
        "genesysAudioConnectorAudioConnectUri": "${genesysAudioConnector.audioConnectUri}",
        "genesysAudioConnectorConnectors": "${genesysAudioConnector.connectors}",
        "supportSipTrunkId": "${supportSipTrunk.id}",
        "supportSipTrunkSipUri": "${supportSipTrunk.sipUri}",
    }
    for agent in AGENTS:
        assert agent.id not in rendered.files["Pulumi.yaml"]
    assert rendered.warnings == ()


def test_yaml_strings_stay_strings_and_never_interpolate() -> None:
    """Text from the tenant that looks like a number, a boolean or an interpolation is read back as itself."""
    docs = [
        sip_document(f"s{index}", f"trunk {index}", description=text, custom_invite_headers=[{"name": f"X-{index}"}])
        for index, text in enumerate(TRICKY)
    ]
    docs.append(sip_document("s-num", "+14155550100", description=None, phone_numbers=[]))
    program = render_yaml(docs).files["Pulumi.yaml"]
    declared = run_yaml(program, AGENTS)
    assert_declares(declared, docs)
    descriptions = sorted(str(r.get("description")) for r in declared.resources.values())
    assert descriptions == sorted([*TRICKY, "None"])
    assert '"+14155550100"' in program


def test_yaml_names_share_one_namespace() -> None:
    """Config keys, variables and resources are one namespace in Pulumi YAML: a clash gets a suffix."""
    docs = [
        sip_document("1", "customer-care live", phone_numbers=[{"phone_number": "+14155550101",
                     "agent_id": CARE.id, "environment_id": env_id(CARE, "live")}]),
        sip_document("2", "Support SIP trunk Password", phone_numbers=[]),
        sip_document("3", "Support SIP trunk", phone_numbers=[]),
        sip_document("4", "pulumi", phone_numbers=[]),
        sip_document("5", "911", phone_numbers=[]),
    ]  # fmt: skip
    program = yaml.safe_load(render_yaml(docs).files["Pulumi.yaml"])
    keys = [*program["config"], *program["variables"], *program["resources"]]
    assert len(keys) == len(set(keys)) and "pulumi" not in keys
    assert "config911" in program["resources"]
    assert_declares(run_yaml(render_yaml(docs).files["Pulumi.yaml"], AGENTS), docs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_tenant_round_trips_through_the_yaml_program(docs: list[dict[str, Any]]) -> None:
    assert_declares(run_yaml(render_yaml(docs).files["Pulumi.yaml"], AGENTS), docs)


# --------------------------------------------------------------------------------------------------------------
# TypeScript, run by node with recording stand-ins


STUB_PULUMI = """
export class Config {
    requireSecret(key) { globalThis.recorded.secretKeys.push(key); return globalThis.fakeSecret(key); }
}
"""
STUB_SDK = """
export class PhoneConfig {
    constructor(name, args) {
        globalThis.recorded.resources.push([name, args]);
        this.id = `id-of-${name}`;
        this.sipUri = this.audioConnectUri = this.connectors = `output-of-${name}`;
    }
}
export class PhoneNumber extends PhoneConfig {}
export class AgentAttachment extends PhoneConfig {}
export function getAgentOutput(args) {
    globalThis.recorded.lookups.push([args.name, args.environment]);
    return globalThis.agents[`${args.name}/${args.environment}`];
}
"""
RUNNER = """
globalThis.recorded = { resources: [], secretKeys: [], lookups: [] };
globalThis.agents = JSON.parse(process.argv[2]);
globalThis.fakeSecret = (key) => key.endsWith("ClientSecret") ? "ZmFrZS1zZWNyZXQ=" : `fake-secret-${key}`;
const program = await import("./index.mjs");
console.log(JSON.stringify({ ...globalThis.recorded, outputs: { ...program } }));
"""


def node() -> str:
    found = shutil.which("node")
    if found is None:
        if in_ci():
            pytest.fail("CI is set and node is not installed: the TypeScript export is checked by running its program")
        pytest.skip("node is not installed")
    return found


def run_typescript(program: str, agents: Sequence[Agent], work: Path) -> Declared:
    for package, source in (("@pulumi/pulumi", STUB_PULUMI), ("pulumi-phonecfg", STUB_SDK)):
        directory = work / "node_modules" / package
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "package.json").write_text(json.dumps({"name": package, "type": "module", "main": "index.js"}))
        (directory / "index.js").write_text(source)
    (work / "index.mjs").write_text(program)
    (work / "run.mjs").write_text(RUNNER)
    results = {f"{a.name}/{e.name}": agent_result(agents, a.name, e.name) for a in agents for e in a.environments}
    done = subprocess.run(
        [node(), "run.mjs", json.dumps(results)], cwd=work, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    recorded = json.loads(done.stdout)
    declared = Declared(secret_keys=recorded["secretKeys"], lookups=[tuple(x) for x in recorded["lookups"]])
    declared.resources = {name: keys_to_api(args) for name, args in recorded["resources"]}
    declared.outputs = recorded["outputs"]
    return declared


def test_typescript_program_declares_every_field_of_every_config(tmp_path: Path) -> None:
    docs = [sip_document(), genesys_document()]
    rendered = render_ts(docs, sdk_requirement="^0.1.0")
    assert sorted(rendered.files) == ["Pulumi.dev.yaml", "Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]
    declared = run_typescript(rendered.files["index.ts"], AGENTS, tmp_path)
    assert_declares(declared, docs)
    assert sorted(declared.lookups) == [("after-hours", "draft"), ("customer-care", "live")]
    assert len(declared.lookups) == 2, "one lookup per (agent, environment), shared by every use"
    assert sorted(declared.secret_keys) == [
        "genesysAudioConnectorApiKey",
        "genesysAudioConnectorClientSecret",
        "supportSipTrunkPassword",
    ]
    assert declared.outputs == {
        "genesysAudioConnectorId": "id-of-genesys-audio-connector",
        "genesysAudioConnectorAudioConnectUri": "output-of-genesys-audio-connector",
        "genesysAudioConnectorConnectors": "output-of-genesys-audio-connector",
        "supportSipTrunkId": "id-of-support-sip-trunk",
        "supportSipTrunkSipUri": "output-of-support-sip-trunk",
    }
    for agent in AGENTS:
        assert agent.id not in rendered.files["index.ts"]
    package = json.loads(rendered.files["package.json"])
    assert package["dependencies"] == {"@pulumi/pulumi": typescript.PULUMI_VERSION, "pulumi-phonecfg": "^0.1.0"}
    assert yaml.safe_load(rendered.files["Pulumi.yaml"])["runtime"] == "nodejs"
    assert json.loads(rendered.files["tsconfig.json"])["files"] == ["index.ts"]


def test_typescript_identifiers_avoid_reserved_words_and_the_modules_own_names(tmp_path: Path) -> None:
    names = ["import", "config", "pulumi", "phonecfg", "911 line", "new", "class"]
    docs = [sip_document(str(i), name, phone_numbers=[]) for i, name in enumerate(names)]
    program = render_ts(docs).files["index.ts"]
    constants = re.findall(r"^const (\w+) = new phonecfg", program, flags=re.MULTILINE)
    assert not set(constants) & typescript.RESERVED_NAMES
    assert "config911Line" in constants and "import_" in constants
    assert_declares(run_typescript(program, AGENTS, tmp_path), docs)


def test_typescript_strings(tmp_path: Path) -> None:
    docs = [sip_document(f"s{i}", f"trunk {i}", description=t, phone_numbers=[]) for i, t in enumerate(TRICKY)]
    docs.append(sip_document("u", "unicode", description="tab\tnew\nline \u2028 \x7f \U0001f600 é \\ \"'"))
    assert_declares(run_typescript(render_ts(docs).files["index.ts"], AGENTS, tmp_path), docs)


# Few examples: each one starts node.
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(documents())
def test_any_tenant_round_trips_through_the_typescript_program(tmp_path: Path, docs: list[dict[str, Any]]) -> None:
    work = tmp_path / str(uuid.uuid4())
    assert_declares(run_typescript(render_ts(docs).files["index.ts"], AGENTS, work), docs)


# --------------------------------------------------------------------------------------------------------------
# Every language


LANGUAGES = {
    "python": python.render_project,
    "yaml": yaml_export.render_project,
    "typescript": typescript.render_project,
    "hcl": hcl.render_project,
}
PULUMI_LANGUAGES = ("python", "yaml", "typescript")
PROGRAM_FILES = {"python": "__main__.py", "yaml": "Pulumi.yaml", "typescript": "index.ts", "hcl": "main.tf"}
APPLY_COMMANDS = {"python": "pulumi up", "yaml": "pulumi up", "typescript": "pulumi up", "hcl": "tofu apply"}


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_same_tenant_same_files_whatever_the_listing_order(language: str) -> None:
    docs = [sip_document(), genesys_document(), sip_document("c-2", "Support SIP trunk!", phone_numbers=[])]
    render = LANGUAGES[language]
    first = render(docs, AGENTS, options(project="p")).files
    for seed in range(5):
        shuffled = list(docs)
        random.Random(seed).shuffle(shuffled)
        assert render(shuffled, AGENTS, options(project="p")).files == first


def test_every_language_reads_the_same_secrets_and_writes_the_same_stack_file() -> None:
    docs = [sip_document(), genesys_document()]
    rendered = {
        name: LANGUAGES[name](docs, AGENTS, options(project="p", stack="prod", credential_key="phonecfg:apiKey"))
        for name in PULUMI_LANGUAGES
    }
    assert len({r.secrets for r in rendered.values()}) == 1
    assert len({r.files["Pulumi.prod.yaml"] for r in rendered.values()}) == 1
    settings_lines = [line for line in rendered["yaml"].files["Pulumi.prod.yaml"].splitlines() if line[:1] != "#"]
    assert settings_lines == ["config:", f'  phonecfg:url: "{URL}"']


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_credentials_are_not_missing_values(language: str) -> None:
    """Validated without credentials: a missing username is reported, a password read from config is not."""
    security = {"authentication": True, "password_is_set": True}
    docs = [sip_document(security=security), genesys_document()]
    rendered = LANGUAGES[language](docs, AGENTS, options(project="p"))
    assert len(rendered.warnings) == 1, rendered.warnings
    assert "security.username: is required when authentication is true" in rendered.warnings[0]
    assert rendered.warnings[0].endswith(f"(fix it in {PROGRAM_FILES[language]} before `{APPLY_COMMANDS[language]}`)")


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_agent_the_tenant_cannot_name_keeps_its_id(language: str) -> None:
    gone = "0b9a8c7d-6e5f-4a3b-9c2d-1e0f2a3b4c02"
    document = genesys_document(
        attached_environments=[
            {"agent_id": gone, "environment_id": env_id(AFTER_HOURS, "draft")},
            {"agent_id": AFTER_HOURS.id, "environment_id": env_id(AFTER_HOURS, "draft")},
        ]
    )
    rendered = LANGUAGES[language]([document], AGENTS, options(project="p"))
    assert len(rendered.warnings) == 1 and gone in rendered.warnings[0]
    program = rendered.files[PROGRAM_FILES[language]]
    assert gone in program and AFTER_HOURS.id not in program


def test_validation_can_leave_the_credentials_to_config() -> None:
    """`credentials_later`: a missing write-only credential is not a violation; anything else still is."""
    genesys = {"name": "G", "service_provider": "genesys_audio_connector"}
    assert [v.path for v in validate_inputs(genesys)[1]] == ["security.api_key", "security.client_secret"]
    model, violations = validate_inputs(genesys, credentials_later=True)
    assert model is not None and violations == []
    sip = {"name": "S", "security": {"authentication": True}}
    later = validate_inputs(sip, credentials_later=True)[1]
    assert [v.path for v in later] == ["security.username"]
    bad_secret = {**genesys, "security": {"client_secret": "not base64!"}}
    assert [v.path for v in validate_inputs(bad_secret, credentials_later=True)[1]] == ["security.client_secret"]


# --------------------------------------------------------------------------------------------------------------
# --numbers-as-resources, --attachments-as-resources


def declared_resources(language: str, docs: Sequence[Mapping[str, Any]], work: Path, **kwargs: Any) -> Any:
    """What the program in `language` declares: resource name -> inputs (API names)."""
    if language == "python":
        run = run_program(render(docs, **kwargs).files["__main__.py"], AGENTS)
        return {r.resource_name: {**r.inputs, "kind": r.kind} for r in run.resources}
    if language == "hcl":
        found = run_hcl(hcl.render_project(docs, AGENTS, options(**kwargs)).files["main.tf"])
        kinds = {"phonecfg_phone_config": "PhoneConfig", "phonecfg_phone_number": "PhoneNumber",
                 "phonecfg_agent_attachment": "AgentAttachment"}  # fmt: skip
        # The labels are the resource names in snake_case (these names are slugs).
        return {
            address.partition(".")[2].replace("_", "-"): {**inputs, "kind": kinds[address.partition(".")[0]]}
            for address, inputs in found.resources.items()
        }
    if language == "yaml":
        program = render_yaml(docs, **kwargs).files["Pulumi.yaml"]
        kinds = {r["name"]: r["type"].rpartition(":")[2] for r in yaml.safe_load(program)["resources"].values()}
        declared = run_yaml(program, AGENTS).resources
    else:
        program = render_ts(docs, **kwargs).files["index.ts"]
        kinds = {name: kind for kind, name in re.findall(r'new phonecfg\.(\w+)\("([^"]+)"', program)}
        declared = run_typescript(program, AGENTS, work).resources
    return {name: {**inputs, "kind": kinds[name]} for name, inputs in declared.items()}


def expected_numbers() -> dict[str, dict[str, Any]]:
    """The trunk's numbers as PhoneNumbers, routing as the trunk has it."""
    trunk_id = "id-of-support-sip-trunk"
    return {
        "support-sip-trunk-14155550101": {
            "kind": "PhoneNumber",
            "config_id": trunk_id,
            "phone_number": "+14155550101",
            "description": "hotline",
            "agent_id": CARE.id,
            "environment_id": env_id(CARE, "live"),
        },
        "support-sip-trunk-14155550102": {"kind": "PhoneNumber", "config_id": trunk_id, "phone_number": "+14155550102"},
    }


def expected_attachments() -> dict[str, dict[str, Any]]:
    """The Genesys config's attachments as AgentAttachments, named after the agent and environment they attach,
    with their labels as the config has them (adopted as they are)."""
    config_id = "id-of-genesys-audio-connector"
    return {
        "genesys-audio-connector-customer-care-live": {
            "kind": "AgentAttachment",
            "config_id": config_id,
            "agent_id": CARE.id,
            "environment_id": env_id(CARE, "live"),
            "agent_name": "customer-care",
            "environment_name": "live",
        },
        "genesys-audio-connector-after-hours-draft": {
            "kind": "AgentAttachment",
            "config_id": config_id,
            "agent_id": AFTER_HOURS.id,
            "environment_id": env_id(AFTER_HOURS, "draft"),
        },
    }


# flag -> (the member resource, the config that leaves its list out, that list, the other config, the members)
MEMBER_FLAGS = {
    "numbers_as_resources": (
        "PhoneNumber", "support-sip-trunk", "phone_numbers", "genesys-audio-connector", expected_numbers
    ),
    "attachments_as_resources": (
        "AgentAttachment", "genesys-audio-connector", "attached_environments", "support-sip-trunk",
        expected_attachments,
    ),
}  # fmt: skip


@pytest.mark.parametrize("flag", sorted(MEMBER_FLAGS))
@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_each_item_of_a_config_list_as_a_resource_of_its_own(language: str, flag: str, tmp_path: Path) -> None:
    kind, owner, list_name, other, expected = MEMBER_FLAGS[flag]
    docs = [sip_document(), genesys_document()]
    default = declared_resources(language, docs, tmp_path / "default")
    declared = declared_resources(language, docs, tmp_path / "members", **{flag: True})

    assert {name: inputs for name, inputs in declared.items() if inputs["kind"] == kind} == expected()
    # The config declares no list (never written by it: the members own it); nothing else differs.
    assert list_name not in declared[owner]
    assert declared[owner] == {k: v for k, v in default[owner].items() if k != list_name}
    assert declared[other] == default[other]


def test_numbers_as_resources_names_never_clash_with_a_config() -> None:
    docs = [
        sip_document("c-1", "Support SIP trunk"),
        sip_document("c-2", "Support SIP trunk 14155550101", phone_numbers=[]),
    ]
    names = [
        r.resource_name
        for r in run_program(render(docs, numbers_as_resources=True).files["__main__.py"], AGENTS).resources
    ]
    assert len(names) == len(set(names)) == 4
    assert "support-sip-trunk-14155550101-2" in names


def test_both_flags_together_and_an_agent_the_tenant_does_not_list() -> None:
    """Numbers and attachments both as resources; an attachment whose agent is gone keeps its ids, in its name too."""
    gone = {"agent_id": UNKNOWN_AGENT, "environment_id": UNKNOWN_AGENT}
    genesys = genesys_document(attached_environments=[gone])
    rendered = render([sip_document(), genesys], numbers_as_resources=True, attachments_as_resources=True)
    run = run_program(rendered.files["__main__.py"], AGENTS)
    kinds = sorted((r.kind, r.resource_name) for r in run.resources)
    assert kinds == [
        ("AgentAttachment", f"genesys-audio-connector-{UNKNOWN_AGENT}-{UNKNOWN_AGENT}"),
        ("PhoneConfig", "genesys-audio-connector"),
        ("PhoneConfig", "support-sip-trunk"),
        ("PhoneNumber", "support-sip-trunk-14155550101"),
        ("PhoneNumber", "support-sip-trunk-14155550102"),
    ]
    attachment = next(r for r in run.resources if r.kind == "AgentAttachment")
    assert attachment.inputs == {"config_id": "id-of-genesys-audio-connector", **gone}
    assert len(rendered.warnings) == 1 and UNKNOWN_AGENT in rendered.warnings[0]
    assert (
        "from pulumi_phonecfg import AgentAttachment, PhoneConfig, PhoneNumber, get_agent"
        in (rendered.files["__main__.py"])
    )
