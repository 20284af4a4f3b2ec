"""`phonecfg export --language hcl`: the OpenTofu/Terraform configuration, read back as HCL reads it.

`main.tf` is parsed by a reader of the HCL native syntax the writer uses (blocks, attributes, objects, tuples,
quoted strings with HCL's escapes, `$${` / `%%{`, references); the references are resolved against the tenant's
agents and fake credentials. What each resource declares must validate and equal the exported document in
canonical form, as for the Pulumi languages, and each resource must have an import block naming its id. The
reader's reading of strings is checked against the real CLI (`tofu console`, else `terraform console`), and the
whole file against `tofu fmt -check`: both end-to-end tests (run after `make tofu`), skipped without a CLI, except
under CI.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, given, settings
from support import REPO, in_ci

from pulumi_phonecfg.commands.export import hcl
from pulumi_phonecfg.commands.export.model import ProjectOptions, SecretKey
from pulumi_phonecfg.core.lifecycle.agents import Agent

from .test_render import (
    AFTER_HOURS,
    AGENTS,
    CARE,
    URL,
    canonical_declared,
    canonical_document,
    documents,
    env_id,
    genesys_document,
    sip_document,
)

TRICKY = [
    "${customerCareLive.agentId}",
    "$${x}",
    "$$${x}",
    "%{ if true }x%{ endif }",
    "%%{x}",
    "${~ x ~}",
    "$ and % and $$ and {}",
    'quote " backslash \\ \\n literally',
    "tab\tnew\r\nline",
    "a \u2028 \x7f \x1b é \U0001f600",
    "+14155550100",
    "true",
    "null",
    "# not a comment",
    "// nor this",
    "<<EOF",
]


# --------------------------------------------------------------------------------------------------------------
# A reader of the HCL the writer writes


@dataclass(frozen=True)
class Ref:
    """A traversal (`var.x`, `data.phonecfg_agent.a.agent_id`) or a keyword such as `string`."""

    text: str


@dataclass
class Body:
    attributes: dict[str, Any] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Block:
    type: str
    labels: list[str]
    body: Body


class HclSyntaxError(ValueError):
    pass


class Reader:
    """Recursive descent over HCL's native syntax: the subset a configuration of attributes, blocks and literal
    values uses. An interpolation or a template directive in a string is an error: the writer must escape them."""

    ESCAPES: Final = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
    IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
    NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, message: str) -> HclSyntaxError:
        line = self.text.count("\n", 0, self.pos) + 1
        return HclSyntaxError(f"line {line}: {message}: {self.text[self.pos : self.pos + 30]!r}")

    def peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def skip(self, *, newlines: bool) -> None:
        while self.pos < len(self.text):
            char = self.peek()
            if char in " \t" or (newlines and char in "\r\n"):
                self.pos += 1
            elif char == "#" or self.text.startswith("//", self.pos):
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end == -1 else end
            else:
                return

    def expect(self, token: str) -> None:
        if not self.text.startswith(token, self.pos):
            raise self.fail(f"expected {token!r}")
        self.pos += len(token)

    def identifier(self) -> str:
        match = self.IDENTIFIER.match(self.text, self.pos)
        if match is None:
            raise self.fail("expected an identifier")
        self.pos = match.end()
        return match.group(0)

    def read(self) -> Body:
        body = self.body()
        if self.pos != len(self.text):
            raise self.fail("unexpected text")
        return body

    def body(self) -> Body:
        body = Body()
        while True:
            self.skip(newlines=True)
            if self.pos == len(self.text) or self.peek() == "}":
                return body
            name = self.identifier()
            self.skip(newlines=False)
            if self.peek() == "=":
                self.pos += 1
                if name in body.attributes:
                    raise self.fail(f"attribute {name!r} twice")
                body.attributes[name] = self.expression()
                self.skip(newlines=False)
                if self.pos < len(self.text) and self.peek() not in "\r\n":
                    raise self.fail("expected a newline after an attribute")
                continue
            labels = []
            while self.peek() == '"':
                labels.append(self.string())
                self.skip(newlines=False)
            self.expect("{")
            inner = self.body()
            self.expect("}")
            body.blocks.append(Block(name, labels, inner))

    def expression(self) -> Any:
        self.skip(newlines=False)
        char = self.peek()
        if char == '"':
            return self.string()
        if char == "{":
            return self.object()
        if char == "[":
            return self.tuple()
        number = self.NUMBER.match(self.text, self.pos)
        if number:
            self.pos = number.end()
            return json.loads(number.group(0))
        parts = [self.identifier()]
        while self.peek() == ".":
            self.pos += 1
            parts.append(self.identifier())
        text = ".".join(parts)
        return {"true": True, "false": False, "null": None}.get(text, Ref(text))

    def object(self) -> dict[str, Any]:
        self.expect("{")
        result: dict[str, Any] = {}
        while True:
            self.skip(newlines=True)
            if self.peek() == "}":
                self.pos += 1
                return result
            name = self.string() if self.peek() == '"' else self.identifier()
            self.skip(newlines=False)
            self.expect("=")
            if name in result:
                raise self.fail(f"key {name!r} twice")
            result[name] = self.expression()
            self.skip(newlines=False)
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() not in ("}", "\n", "\r"):
                raise self.fail("expected ',', a newline or '}'")

    def tuple(self) -> list[Any]:
        self.expect("[")
        result: list[Any] = []
        while True:
            self.skip(newlines=True)
            if self.peek() == "]":
                self.pos += 1
                return result
            result.append(self.expression())
            self.skip(newlines=True)
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != "]":
                raise self.fail("expected ',' or ']'")

    def string(self) -> str:
        self.expect('"')
        out: list[str] = []
        while True:
            if self.pos >= len(self.text):
                raise self.fail("unterminated string")
            rest = self.text[self.pos :]
            char = rest[0]
            if char == '"':
                self.pos += 1
                return "".join(out)
            if char in "\r\n":
                raise self.fail("newline in a quoted string")
            if char == "\\":
                code = rest[1:2]
                if code in self.ESCAPES:
                    out.append(self.ESCAPES[code])
                    self.pos += 2
                elif code in ("u", "U"):
                    digits = 4 if code == "u" else 8
                    out.append(chr(int(rest[2 : 2 + digits], 16)))
                    self.pos += 2 + digits
                else:
                    raise self.fail("unknown escape")
            elif rest.startswith(("$${", "%%{")):
                out.append(rest[1:3])
                self.pos += 3
            elif rest.startswith(("${", "%{")):
                raise self.fail("a template sequence in a string")
            else:
                out.append(char)
                self.pos += 1


def read_hcl(text: str) -> Body:
    return Reader(text).read()


# --------------------------------------------------------------------------------------------------------------
# What main.tf declares


@dataclass
class Configuration:
    """What one main.tf declares: resources (address -> inputs, references resolved), import ids (address -> id),
    credential variables read, agents looked up (label -> (name, environment)), outputs, the provider settings."""

    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    secrets_read: list[str] = field(default_factory=list)
    lookups: dict[str, tuple[str, str]] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    provider: dict[str, Any] = field(default_factory=dict)
    terraform: Body = field(default_factory=Body)


def fake_credential(variable: str) -> str:
    """A fake credential of its own per variable (base64 for a client secret), so a crossed wire shows."""
    value = f"fake-credential-{variable}"
    return base64.b64encode(value.encode()).decode() if variable.endswith("client_secret") else value


def agent_attributes(agents: Sequence[Agent], name: str, environment: str) -> dict[str, str]:
    agent = next(a for a in agents if a.name == name)
    env = next(e for e in agent.environments if e.name == environment)
    return {"agent_id": agent.id, "environment_id": env.id, "agent_name": agent.name, "environment_name": env.name}


def config_id_of(label: str) -> str:
    """What `phonecfg_phone_config.<label>.id` stands for here (the resource names are slugs: `-` for `_`)."""
    return f"id-of-{label.replace('_', '-')}"


def run_hcl(text: str, agents: Sequence[Agent] = AGENTS) -> Configuration:
    top = read_hcl(text)
    found = Configuration()
    kinds = [b.type for b in top.blocks]
    assert kinds.count("terraform") == 1 and kinds.count("provider") == 1, kinds
    assert set(kinds) <= {"terraform", "provider", "variable", "data", "import", "resource", "output"}, kinds
    for block in top.blocks:
        if block.type == "terraform":
            found.terraform = block.body
        elif block.type == "provider":
            assert block.labels == ["phonecfg"]
            found.provider = block.body.attributes
        elif block.type == "variable":
            [name] = block.labels
            found.variables[name] = block.body.attributes
        elif block.type == "data":
            data_type, label = block.labels
            assert data_type == "phonecfg_agent" and set(block.body.attributes) == {"name", "environment"}
            found.lookups[label] = (block.body.attributes["name"], block.body.attributes["environment"])
        elif block.type == "import":
            assert set(block.body.attributes) == {"to", "id"}
            address = block.body.attributes["to"]
            assert isinstance(address, Ref) and address.text not in found.imports
            found.imports[address.text] = block.body.attributes["id"]

    def resolve(reference: Ref) -> Any:
        root, *rest = reference.text.split(".")
        if root == "var":
            [name] = rest
            assert found.variables[name] == {
                "description": found.variables[name]["description"],
                "type": Ref("string"),
                "sensitive": True,
                "ephemeral": True,
            }
            found.secrets_read.append(name)
            return fake_credential(name)
        if root == "data":
            data_type, label, attribute = rest
            assert data_type == "phonecfg_agent"
            return agent_attributes(agents, *found.lookups[label])[attribute]
        assert root == "phonecfg_phone_config" and rest[1:] == ["id"], reference
        return config_id_of(rest[0])

    def evaluate(value: Any) -> Any:
        if isinstance(value, Ref):
            return resolve(value)
        if isinstance(value, dict):
            return {k: evaluate(v) for k, v in value.items()}
        if isinstance(value, list):
            return [evaluate(v) for v in value]
        return value

    for block in top.blocks:
        if block.type == "resource":
            resource_type, label = block.labels
            assert block.body.blocks == []
            found.resources[f"{resource_type}.{label}"] = evaluate(block.body.attributes)
        elif block.type == "output":
            value = block.body.attributes["value"]
            assert isinstance(value, Ref)
            found.outputs[block.labels[0]] = value.text
    assert sorted(found.imports) == sorted(found.resources), "one import block per resource"
    return found


def options(**kwargs: Any) -> ProjectOptions:
    return ProjectOptions(**({"project": "phones", "stack": "dev", "url": URL} | kwargs))


def render_hcl(docs: Sequence[Mapping[str, Any]], agents: Sequence[Agent] = AGENTS, **kwargs: Any) -> Any:
    return hcl.render_project(docs, agents, options(**kwargs))


def configs_by_id(found: Configuration) -> dict[str, dict[str, Any]]:
    """The phonecfg_phone_config resources by the config id their import block names."""
    return {
        found.imports[address]: inputs
        for address, inputs in found.resources.items()
        if address.startswith("phonecfg_phone_config.")
    }


def assert_declares(found: Configuration, docs: Sequence[Mapping[str, Any]]) -> None:
    configs = configs_by_id(found)
    assert sorted(configs) == sorted(d["id"] for d in docs)
    for document in docs:
        inputs = configs[document["id"]]
        assert "adopt_existing" not in inputs, "the import blocks adopt"
        assert canonical_declared(inputs) == canonical_document(document), document["id"]


# --------------------------------------------------------------------------------------------------------------
# The configuration


def test_every_field_of_every_config_with_an_import_block_each() -> None:
    docs = [sip_document(), genesys_document()]
    rendered = render_hcl(docs)
    assert sorted(rendered.files) == ["main.tf"]
    found = run_hcl(rendered.files["main.tf"])
    assert_declares(found, docs)
    assert found.imports == {
        "phonecfg_phone_config.genesys_audio_connector": "c-gen",
        "phonecfg_phone_config.support_sip_trunk": "c-sip",
    }
    assert sorted(found.lookups.values()) == [("after-hours", "draft"), ("customer-care", "live")]
    assert found.outputs == {
        "genesys_audio_connector_id": "phonecfg_phone_config.genesys_audio_connector.id",
        "genesys_audio_connector_audio_connect_uri": "phonecfg_phone_config.genesys_audio_connector.audio_connect_uri",
        "genesys_audio_connector_connectors": "phonecfg_phone_config.genesys_audio_connector.connectors",
        "support_sip_trunk_id": "phonecfg_phone_config.support_sip_trunk.id",
        "support_sip_trunk_sip_uri": "phonecfg_phone_config.support_sip_trunk.sip_uri",
    }
    for agent in AGENTS:
        assert agent.id not in rendered.files["main.tf"]
    assert rendered.warnings == ()


def test_terraform_and_provider_blocks() -> None:
    program = render_hcl([sip_document()]).files["main.tf"]
    assert (
        "\n\nterraform {\n"
        '  required_version = ">= 1.11"\n'
        "  required_providers {\n"
        "    phonecfg = {\n"
        '      source = "phonecfg/phonecfg"\n'
        "    }\n"
        "  }\n"
        "}\n\n"
        "# The API credential comes from the environment (PHONECFG_TOKEN), never from this file.\n"
        'provider "phonecfg" {\n'
        f'  url = "{URL}"\n'
        "}\n\n"
    ) in program


def test_provider_settings_but_never_a_credential() -> None:
    rendered = render_hcl(
        [genesys_document()],
        credential_key="phonecfg:apiKey",
        provider_config={"phonecfg:authType": "ibm_iam", "phonecfg:authUrl": "https://iam.example.com/token"},
        strict_numbers=True,
    )
    found = run_hcl(rendered.files["main.tf"])
    assert found.provider == {
        "url": URL,
        "auth_type": "ibm_iam",
        "auth_url": "https://iam.example.com/token",
        "strict_phone_numbers": True,
    }
    assert "#   PHONECFG_API_KEY  " in rendered.files["main.tf"] and "PHONECFG_TOKEN" not in rendered.files["main.tf"]


def test_the_sip_trunk_exactly() -> None:
    """Attributes in the API's order, `=` aligned in each run of one-line attributes, long values split."""
    program = render_hcl([sip_document()]).files["main.tf"]
    assert (
        "import {\n"
        "  to = phonecfg_phone_config.support_sip_trunk\n"
        '  id = "c-sip"\n'
        "}\n"
        "\n"
        'resource "phonecfg_phone_config" "support_sip_trunk" {\n'
        '  name             = "Support SIP trunk"\n'
        '  description      = "Inbound \\"support\\" line\\nsecond line"\n'
        '  service_provider = "sip_trunk"\n'
        "  security = {\n"
        "    secure_trunking = true\n"
        "    authentication  = true\n"
        '    username        = "trunk-user"\n'
        "    password        = var.support_sip_trunk_password\n"
        "  }\n"
        '  custom_invite_headers          = [{ name = "X-Call-Reason" }, { name = "X-Customer-Id" }]\n'
        "  put_caller_on_hold_on_transfer = false\n"
        "  error_handling = {\n"
        '    fallback_sip_uri = "sip:overflow@pbx.example.com"\n'
        "    transfer_failure = {\n"
        '      reply_message   = "Sorry, nobody can take your call right now."\n'
        "      disconnect_call = true\n"
        "    }\n"
        '    call_failure = { reply_message = "Sorry." }\n'
        "  }\n"
        "  phone_numbers = [\n"
        "    {\n"
        '      phone_number   = "+14155550101"\n'
        '      description    = "hotline"\n'
        "      agent_id       = data.phonecfg_agent.customer_care_live.agent_id\n"
        "      environment_id = data.phonecfg_agent.customer_care_live.environment_id\n"
        "    },\n"
        '    { phone_number = "+14155550102" },\n'
        "  ]\n"
        "}\n"
    ) in program
    assert (
        "# Agents by name: their ids differ in every tenant.\n"
        'data "phonecfg_agent" "customer_care_live" {\n'
        '  name        = "customer-care"\n'
        '  environment = "live"\n'
        "}\n"
    ) in program


def test_credentials_are_sensitive_ephemeral_variables() -> None:
    rendered = render_hcl([sip_document(), genesys_document()])
    program = rendered.files["main.tf"]
    assert (
        'variable "support_sip_trunk_password" {\n'
        "  description = \"security.password of the phone config 'Support SIP trunk' (write-only: never stored)\"\n"
        "  type        = string\n"
        "  sensitive   = true\n"
        "  ephemeral   = true\n"
        "}\n"
    ) in program
    assert rendered.secrets == (
        SecretKey("genesys_audio_connector_api_key", "Genesys Audio Connector", "api_key"),
        SecretKey("genesys_audio_connector_client_secret", "Genesys Audio Connector", "client_secret"),
        SecretKey("support_sip_trunk_password", "Support SIP trunk", "password"),
    )
    found = run_hcl(program)
    assert sorted(found.secrets_read) == sorted(found.variables) == [s.key for s in rendered.secrets]
    configs = configs_by_id(found)
    assert configs["c-sip"]["security"]["password"] == fake_credential("support_sip_trunk_password")
    assert configs["c-gen"]["security"] == {
        "api_key": fake_credential("genesys_audio_connector_api_key"),
        "client_secret": fake_credential("genesys_audio_connector_client_secret"),
    }
    for secret in rendered.secrets:
        assert f"#   TF_VAR_{secret.key}  " in program


def test_no_credential_is_ever_written_even_when_the_api_answers_one() -> None:
    leaked = ["fake-leaked-password", "fake-leaked-api-key", base64.b64encode(b"fake-leaked-secret").decode()]
    answered = {"password": leaked[0], "password_is_set": True, "api_key": leaked[1], "client_secret": leaked[2]}
    docs = [
        sip_document(security={"authentication": True, "username": "u", **answered}),
        genesys_document(security=answered),
    ]
    program = render_hcl(docs).files["main.tf"]
    assert not [secret for secret in leaked if secret in program]
    assert_declares(run_hcl(program), docs)


def test_sip_trunk_without_authentication_needs_no_variable() -> None:
    security = {"secure_trunking": True, "authentication": False, "password_is_set": False}
    found = run_hcl(render_hcl([sip_document(security=security)]).files["main.tf"])
    assert found.variables == {} and configs_by_id(found)["c-sip"]["security"] == {"secure_trunking": True}


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
    found = run_hcl(render_hcl([document]).files["main.tf"])
    assert found.resources == {
        "phonecfg_phone_config.support_sip_trunk": {"name": "Support SIP trunk", "service_provider": "sip_trunk"}
    }
    assert found.lookups == {}


def test_numbers_are_written_in_e164() -> None:
    numbers = [{"phone_number": "+1 415 555 0100", "agent_id": None, "environment_id": None}]
    docs = [sip_document(phone_numbers=numbers)]
    found = run_hcl(render_hcl(docs).files["main.tf"])
    assert configs_by_id(found)["c-sip"]["phone_numbers"] == [{"phone_number": "+14155550100"}]
    members = run_hcl(render_hcl(docs, numbers_as_resources=True).files["main.tf"])
    assert members.imports["phonecfg_phone_number.support_sip_trunk_1_415_555_0100"] == "c-sip/+14155550100"
    assert members.resources["phonecfg_phone_number.support_sip_trunk_1_415_555_0100"]["phone_number"] == (
        "+14155550100"
    )


# --------------------------------------------------------------------------------------------------------------
# Numbers and attachments as resources


def test_numbers_as_resources_with_their_import_ids() -> None:
    program = render_hcl([sip_document(), genesys_document()], numbers_as_resources=True).files["main.tf"]
    found = run_hcl(program)
    assert {a: i for a, i in found.imports.items() if a.startswith("phonecfg_phone_number.")} == {
        "phonecfg_phone_number.support_sip_trunk_14155550101": "c-sip/+14155550101",
        "phonecfg_phone_number.support_sip_trunk_14155550102": "c-sip/+14155550102",
    }
    assert "phone_numbers" not in configs_by_id(found)["c-sip"]
    assert (
        "import {\n"
        "  to = phonecfg_phone_number.support_sip_trunk_14155550101\n"
        '  id = "c-sip/+14155550101"\n'
        "}\n"
        "\n"
        'resource "phonecfg_phone_number" "support_sip_trunk_14155550101" {\n'
        "  config_id      = phonecfg_phone_config.support_sip_trunk.id\n"
        '  phone_number   = "+14155550101"\n'
        '  description    = "hotline"\n'
        "  agent_id       = data.phonecfg_agent.customer_care_live.agent_id\n"
        "  environment_id = data.phonecfg_agent.customer_care_live.environment_id\n"
        "}\n"
    ) in program
    assert "# Numbers are phonecfg_phone_number resources" in program
    assert "# Agent attachments are" not in program


def test_attachments_as_resources_with_their_import_ids() -> None:
    """The import id names the pair by its ids (the tenant's); the resource names it through the agent lookup."""
    program = render_hcl([genesys_document()], attachments_as_resources=True).files["main.tf"]
    found = run_hcl(program)
    care_live, after_hours_draft = (
        f"{CARE.id}/{env_id(CARE, 'live')}",
        f"{AFTER_HOURS.id}/{env_id(AFTER_HOURS, 'draft')}",
    )
    assert found.imports == {
        "phonecfg_phone_config.genesys_audio_connector": "c-gen",
        "phonecfg_agent_attachment.genesys_audio_connector_after_hours_draft": f"c-gen/{after_hours_draft}",
        "phonecfg_agent_attachment.genesys_audio_connector_customer_care_live": f"c-gen/{care_live}",
    }
    assert found.resources["phonecfg_agent_attachment.genesys_audio_connector_customer_care_live"] == {
        "config_id": "id-of-genesys-audio-connector",
        "agent_id": CARE.id,
        "environment_id": env_id(CARE, "live"),
        "agent_name": "customer-care",
        "environment_name": "live",
    }
    assert "attached_environments" not in configs_by_id(found)["c-gen"]
    assert (
        'resource "phonecfg_agent_attachment" "genesys_audio_connector_after_hours_draft" {\n'
        "  config_id      = phonecfg_phone_config.genesys_audio_connector.id\n"
        "  agent_id       = data.phonecfg_agent.after_hours_draft.agent_id\n"
        "  environment_id = data.phonecfg_agent.after_hours_draft.environment_id\n"
        "}\n"
    ) in program


# --------------------------------------------------------------------------------------------------------------
# Labels and strings


def test_labels_are_unique_identifiers_derived_from_the_names() -> None:
    names = ["Support SIP trunk", "Support SIP trunk!", "911 line", "import", "customer-care live", "!!!", "Ünïcode"]
    docs = [sip_document(str(i), name, phone_numbers=[]) for i, name in enumerate(names)]
    docs.append(
        sip_document(
            "r", "Routed", phone_numbers=[{"phone_number": "+14155550101", "agent_id": CARE.id,
                                           "environment_id": env_id(CARE, "live")}]
        )
    )  # fmt: skip
    program = render_hcl(docs).files["main.tf"]
    labels = re.findall(r'^(?:resource|data) "\w+" "([^"]+)" \{$', program, flags=re.MULTILINE)
    assert sorted(labels) == [
        "config_911_line",
        "customer_care_live",
        "customer_care_live_2",
        "import",
        "n_code",
        "routed",
        "sip_trunk",
        "support_sip_trunk",
        "support_sip_trunk_2",
    ]
    assert all(re.fullmatch(r"[a-z_][a-z0-9_]*", label) for label in labels)
    variables = re.findall(r'^variable "([^"]+)" \{$', program, flags=re.MULTILINE)
    assert len(variables) == len(set(variables)) == len(docs)
    assert "config_911_line_password" in variables
    outputs = re.findall(r'^output "([^"]+)" \{$', program, flags=re.MULTILINE)
    assert len(outputs) == len(set(outputs)) == 2 * len(docs)
    assert_declares(run_hcl(program), docs)


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("a\nb\r\tc", '"a\\nb\\r\\tc"'),
        ("${var.x}", '"$${var.x}"'),
        ("%{ if x }", '"%%{ if x }"'),
        ("$${x}", '"$$${x}"'),
        ("$ % $$ %% {}", '"$ % $$ %% {}"'),
        ("\x00\x7f\u2028\U0001f600é", '"\\u0000\\u007f\\u2028\U0001f600é"'),
        ("\U000e0001", '"\\U000e0001"'),
    ],
)
def test_string_escapes(text: str, literal: str) -> None:
    assert hcl.string(text) == literal
    assert Reader(literal).string() == text


def test_tricky_strings_stay_themselves() -> None:
    docs = [
        sip_document(f"s{index}", f"trunk {index}", description=text, custom_invite_headers=[{"name": f"X-{index}"}])
        for index, text in enumerate(TRICKY)
    ]
    docs.append(sip_document("quoted", 'A "quoted" ${name} %{x}', description=None, phone_numbers=[]))
    program = render_hcl(docs).files["main.tf"]
    found = run_hcl(program)
    assert_declares(found, docs)
    descriptions = sorted(str(inputs.get("description")) for inputs in configs_by_id(found).values())
    assert descriptions == sorted([*TRICKY, "None"])
    assert re.search(r"description\s+= \"\$\$\{customerCareLive\.agentId\}\"", program)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_tenant_round_trips_through_main_tf(docs: list[dict[str, Any]]) -> None:
    assert_declares(run_hcl(render_hcl(docs).files["main.tf"]), docs)


def test_same_tenant_same_file_whatever_the_listing_order() -> None:
    docs = [sip_document(), genesys_document(), sip_document("c-2", "Support SIP trunk!", phone_numbers=[])]
    first = render_hcl(docs).files
    assert render_hcl(list(reversed(docs))).files == first


# --------------------------------------------------------------------------------------------------------------
# The real CLI: its reading of the strings, its formatter. End-to-end tests (`-m e2e`): they run after `make tofu`,
# not with the unit tests, which CI runs while OpenTofu may still be building.


def hcl_cli() -> str:
    """`tofu` (the repository's .tofu/bin, else PATH), else `terraform`: any of them parses and formats HCL."""
    for candidate in (REPO / ".tofu" / "bin" / "tofu", shutil.which("tofu"), shutil.which("terraform")):
        if candidate and os.access(candidate, os.X_OK):
            return str(candidate)
    message = "neither tofu nor terraform is installed (scripts/install-tofu.sh builds tofu)"
    if in_ci():
        pytest.fail(f"CI is set and {message}")
    pytest.skip(message)


def run_cli(args: Sequence[str], cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CHECKPOINT_DISABLE": "1",  # no version check over the network
        "TF_IN_AUTOMATION": "1",
        "TF_CLI_CONFIG_FILE": str(cwd / "empty.tfrc"),
    }
    (cwd / "empty.tfrc").write_text("")
    return subprocess.run(
        [hcl_cli(), *args], cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


@pytest.mark.e2e
def test_the_cli_reads_every_string_as_the_reader_does(tmp_path: Path) -> None:
    """`tofu console` evaluates each written literal: the value is the text it was written from."""
    texts = [*TRICKY, "tab\tnew\nline \u2028 \x7f \U0001f600 é \\ \"'", "", "~"]
    locals_block = "\n".join(f"  t{index} = {hcl.string(text)}" for index, text in enumerate(texts))
    (tmp_path / "main.tf").write_text(f"locals {{\n{locals_block}\n}}\n")
    expression = "base64encode(jsonencode([" + ", ".join(f"local.t{i}" for i in range(len(texts))) + "]))"
    done = run_cli(["console"], tmp_path, expression + "\n")
    assert done.returncode == 0, done.stderr
    encoded = done.stdout.strip().strip('"')
    assert json.loads(base64.b64decode(encoded)) == texts


@pytest.mark.e2e
def test_main_tf_is_as_the_formatter_leaves_it(tmp_path: Path) -> None:
    tricky = [sip_document(f"s{i}", f"trunk {i}", description=text) for i, text in enumerate(TRICKY)]
    variants = {
        "plain": render_hcl([sip_document(), genesys_document()]),
        "members": render_hcl(
            [sip_document(), genesys_document()], numbers_as_resources=True, attachments_as_resources=True
        ),
        "settings": render_hcl(
            [genesys_document()], provider_config={"phonecfg:authType": "ibm_iam"}, strict_numbers=True
        ),
        "tricky": render_hcl(tricky),
    }
    for name, rendered in variants.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(rendered.files["main.tf"])
    done = run_cli(["fmt", "-check", "-diff", "-recursive", "."], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
