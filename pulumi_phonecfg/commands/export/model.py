"""What `phonecfg export` exports, whatever the language the project is written in.

A pure function of the API documents and the tenant's agents (`export_model`): which configs (selection), their
resource names, the inputs that declare each one as it is (API names, server defaults left out), where an agent
is named through a `getAgent` lookup instead of its tenant-specific UUIDs, and which credential is read from which
secret stack config key. The renderers (`python.py`, `yaml.py`, `typescript.py`, `hcl.py`) only spell this out.

Values that are not literals are placeholders: `SecretRead` (a secret config read), `AgentOutput` (an output of
an agent lookup) and `ConfigIdOf` (the id of an exported config, where a `PhoneNumber` names its trunk).

With `numbers_as_resources` (`--numbers-as-resources`, for a trunk shared by teams) a trunk declares no
`phone_numbers`: each of its numbers is a `PhoneNumber` of its own (an `ExportedMember`), which any program can own.
Likewise `attachments_as_resources` (`--attachments-as-resources`): a Genesys config declares no
`attached_environments`, each attachment is an `AgentAttachment`. Each is declared exactly as the config's list holds
it, so the first `up` adopts it with no write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from pulumi_phonecfg.core.lifecycle.agents import Agent
from pulumi_phonecfg.core.lifecycle.known_configs import same_configs
from pulumi_phonecfg.core.schema.api_documents import config_kind, config_name, outputs_from_api
from pulumi_phonecfg.core.schema.canonical import fields_for
from pulumi_phonecfg.core.schema.integration import INTEGRATION_FIELDS
from pulumi_phonecfg.core.schema.models import (
    GENESYS,
    INPUT_FIELDS,
    SIP_FLAG_DEFAULTS,
    SIP_SECURITY_DEFAULTS,
    SIP_TRUNK,
    validate_inputs,
)

ENVIRONMENTS: Final = ("draft", "live")
# The credential fields per kind, with the suffix of their stack config key.
SECRET_KEYS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    SIP_TRUNK: (("password", "Password"),),
    GENESYS: (("api_key", "ApiKey"), ("client_secret", "ClientSecret")),
}
# The lists whose items may route to an agent.
ROUTED_LISTS: Final = ("phone_numbers", "attached_environments")
PHONE_NUMBER: Final = "PhoneNumber"
AGENT_ATTACHMENT: Final = "AgentAttachment"
# The resource each item of a config's list can be declared as instead, by config kind: (list, resource).
MEMBER_LISTS: Final = {SIP_TRUNK: ("phone_numbers", PHONE_NUMBER), GENESYS: ("attached_environments", AGENT_ATTACHMENT)}


class ExportError(Exception):
    """Export cannot go on: one line saying why. Nothing has been written."""


@dataclass(frozen=True)
class Selection:
    """Which configs to export: every one, or those with the given names and ids."""

    all: bool = False
    names: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectOptions:
    """What is asked of the project, whatever its language: every renderer takes these as one."""

    project: str
    stack: str
    url: str
    # Further plain `phonecfg:*` settings for the stack file (e.g. `phonecfg:authType`).
    provider_config: Mapping[str, str] = field(default_factory=dict)
    # The secret provider setting the user must set: `phonecfg:token` or `phonecfg:apiKey`.
    credential_key: str = "phonecfg:token"
    # `phonecfg:strictPhoneNumbers`: warn of numbers the phone-number metadata calls invalid.
    strict_numbers: bool = False
    # Each trunk's numbers as `PhoneNumber` resources instead of its `phone_numbers` list.
    numbers_as_resources: bool = False
    # Each Genesys config's attachments as `AgentAttachment` resources instead of its `attached_environments`.
    attachments_as_resources: bool = False


@dataclass(frozen=True)
class SecretKey:
    """A stack config key the program reads as a secret."""

    key: str
    config_name: str
    field: str


@dataclass(frozen=True)
class SecretRead:
    """Placeholder: the value of the secret stack config key `key`."""

    key: str


@dataclass(frozen=True)
class AgentLookup:
    """One `getAgent` call: an agent and one of its environments, by name."""

    agent: str
    environment: str


@dataclass(frozen=True)
class AgentOutput:
    """Placeholder: the output `attribute` (`agent_id`, `environment_id`, `agent_name`, ...) of `lookup`."""

    lookup: AgentLookup
    attribute: str


@dataclass(frozen=True)
class ConfigIdOf:
    """Placeholder: the `id` output of the exported config with this resource name."""

    resource_name: str


@dataclass(frozen=True)
class Language:
    """How the warnings name things in the project a renderer writes."""

    program_file: str  # where the user fixes a declared value
    agent_lookup: str  # what replaces an agent id the tenant cannot name (`get_agent(...)`)
    apply_command: str = "pulumi up"  # what runs the program; a warning says to fix it before that


@dataclass(frozen=True)
class ExportedConfig:
    """One config as the program declares it."""

    config_id: str
    resource_name: str
    name: str  # the config's own name
    kind: str
    inputs: dict[str, Any]  # API names in the API document's field order; placeholders inside
    outputs: tuple[str, ...]  # what the program exports: the id and the integration outputs (API names)


@dataclass(frozen=True)
class ExportedMember:
    """One item of a config's list as a resource of its own: a trunk's number as a `PhoneNumber`
    (`numbers_as_resources`), a Genesys config's attachment as an `AgentAttachment` (`attachments_as_resources`)."""

    kind: str  # PHONE_NUMBER or AGENT_ATTACHMENT: the resource's name on every face
    resource_name: str
    config_resource_name: str  # the config's: the member follows it in the program
    inputs: dict[str, Any]  # config_id (a ConfigIdOf), then the item's fields


@dataclass(frozen=True)
class TenantExport:
    configs: tuple[ExportedConfig, ...]  # in resource-name order
    members: tuple[ExportedMember, ...]  # in the order of their configs, then of the list's items
    lookups: tuple[AgentLookup, ...]  # in order of first use
    secrets: tuple[SecretKey, ...]
    warnings: tuple[str, ...]

    def members_of(self, config: ExportedConfig) -> list[ExportedMember]:
        """The PhoneNumbers or AgentAttachments on `config`, which the program declares right after it."""
        return [m for m in self.members if m.config_resource_name == config.resource_name]

    @property
    def member_kinds(self) -> list[str]:
        """The member resources the program declares (PHONE_NUMBER, AGENT_ATTACHMENT), each once, in that order."""
        return [kind for kind in (PHONE_NUMBER, AGENT_ATTACHMENT) if any(m.kind == kind for m in self.members)]


@dataclass(frozen=True)
class RenderedProject:
    """The files of the project (relative path -> text) and what the user must know about them."""

    files: dict[str, str]
    secrets: tuple[SecretKey, ...]
    warnings: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------------------------------------------
# Selection and names


def select_configs(listing: Sequence[Mapping[str, Any]], selection: Selection) -> list[Mapping[str, Any]]:
    """The listed configs the selection asks for, in listing order; an unknown name or id is an error."""
    if not listing:
        raise ExportError("the tenant has no phone configs: nothing to export")
    if selection.all:
        return list(listing)
    by_id = {str(c.get("id")).lower(): c for c in listing}
    missing_ids = [i for i in selection.ids if i.strip().lower() not in by_id]
    if missing_ids:
        known = [f"{c.get('id')} ({config_name(c)!r})" for c in listing]
        raise ExportError(f"no phone config with id {', '.join(missing_ids)} in the tenant ({_known(known)})")
    names = {config_name(c) for c in listing}
    missing_names = [n for n in selection.names if n.strip() not in names]
    if missing_names:
        listed = ", ".join(repr(n) for n in missing_names)
        known = [repr(n) for n in sorted(names, key=str.lower)]
        raise ExportError(f"no phone config named {listed} in the tenant ({_known(known)})")
    wanted_names = {n.strip() for n in selection.names}
    wanted_ids = {i.strip().lower() for i in selection.ids}
    return [c for c in listing if str(c.get("id")).lower() in wanted_ids or config_name(c) in wanted_names]


def _known(shown: Sequence[str], limit: int = 10) -> str:
    more = f", … {len(shown) - limit} more" if len(shown) > limit else ""
    return "configs: " + ", ".join(shown[:limit]) + more


def check_adoptable(listing: Sequence[Mapping[str, Any]], selected: Sequence[Mapping[str, Any]]) -> None:
    """Adoption goes by name and kind: a selected config whose name another config shares cannot be adopted."""
    for document in selected:
        twins = [str(c.get("id")) for c in same_configs(listing, document)]
        if len(twins) > 1:
            raise ExportError(
                f"configs {', '.join(twins)} share the name {config_name(document)!r} ({config_kind(document)}): "
                "adopt_existing cannot tell them apart; rename or delete all but one first"
            )


def slug(text: str) -> str:
    """`'Support SIP trunk #2'` -> `'support-sip-trunk-2'`: lower-case letters, digits and single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def resource_names(documents: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Stable, unique Pulumi resource names (config id -> name), derived from the config names.

    Sanitised with `slug`; clashes get `-2`, `-3`, … in the order of (name, id), so the same tenant always
    exports the same names.
    """
    ordered = sorted(documents, key=lambda d: (slug(config_name(d)), config_name(d), str(d.get("id"))))
    bases = {str(d.get("id")): slug(config_name(d)) or slug(config_kind(d)) for d in ordered}
    taken = set(bases.values())
    names: dict[str, str] = {}
    used: set[str] = set()
    for document in ordered:
        config_id = str(document.get("id"))
        base = candidate = bases[config_id]
        counter = 1
        while candidate in used or (candidate != base and candidate in taken):
            counter += 1
            candidate = f"{base}-{counter}"
        used.add(candidate)
        names[config_id] = candidate
    return names


def camel(text: str) -> str:
    """`'support-sip-trunk'` -> `'supportSipTrunk'` (stack config keys follow Pulumi's camelCase habit)."""
    head, *rest = text.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def unique(key: str, used: set[str], *, separator: str = "") -> str:
    """`key`, or `key<separator>2`, `…3`, … : the first not in `used`, which it is then added to."""
    candidate, counter = key, 1
    while candidate in used:
        counter += 1
        candidate = f"{key}{separator}{counter}"
    used.add(candidate)
    return candidate


# --------------------------------------------------------------------------------------------------------------
# Inputs


def declared_inputs(document: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs that declare `document` as it is, in canonical form, server defaults left out.

    Credentials are absent (the API never returns them); `export_model` adds them as secret config reads.
    It starts from the provider's own reading of the document (what adoption compares the program with), so an
    exported program matches the config it adopts by construction.
    """
    kind = config_kind(document)
    observed = outputs_from_api(document, desired_security=None, fingerprints={})
    inputs: dict[str, Any] = {}
    for name in fields_for(kind):
        value = observed.get(name)
        if name == "security":
            returned = value if isinstance(value, Mapping) else {}
            value = {k: v for k, v in returned.items() if v != SIP_SECURITY_DEFAULTS.get(k)}
        if name in SIP_FLAG_DEFAULTS and value == SIP_FLAG_DEFAULTS[name]:
            value = None
        if value is None or value == [] or value == {}:
            continue
        inputs[name] = value
    return inputs


def credential_fields(document: Mapping[str, Any]) -> list[str]:
    """Credential fields the declared config needs: Genesys always both; SIP a password when one is in use."""
    kind = config_kind(document)
    if kind != SIP_TRUNK:
        return [f for f, _ in SECRET_KEYS[kind]]
    security = document.get("security")
    security = security if isinstance(security, Mapping) else {}
    return ["password"] if security.get("authentication") or security.get("password_is_set") else []


def _in_order(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """`inputs` in the API document's field order."""
    return {k: inputs[k] for k in INPUT_FIELDS if k in inputs}


# --------------------------------------------------------------------------------------------------------------
# Agents


@dataclass
class _AgentRefs:
    """The agent lookups the program makes, one per (agent, environment), in order of first use."""

    agents: Sequence[Agent]
    language: Language
    lookups: list[AgentLookup] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def resolve(self, agent_id: str, environment_id: str, where: str) -> AgentLookup | None:
        """The lookup that names (agent_id, environment_id) in this tenant, or None (with a warning)."""
        agent = next((a for a in self.agents if str(a.id).lower() == agent_id.lower()), None)
        lookup_text = self.language.agent_lookup
        if agent is None:
            self.warnings.append(
                f"{where}: agent {agent_id} is not in the tenant's agent list; its id is kept as is "
                f"(ids differ per tenant: replace it with {lookup_text} before promoting)"
            )
            return None
        environment = next((e for e in agent.environments if str(e.id).lower() == environment_id.lower()), None)
        if environment is None or environment.name not in ENVIRONMENTS:
            self.warnings.append(
                f"{where}: agent {agent.name!r} has no environment {environment_id}; its ids are kept as is "
                f"(ids differ per tenant: replace them with {lookup_text} before promoting)"
            )
            return None
        lookup = AgentLookup(agent.name, environment.name)
        if lookup not in self.lookups:
            self.lookups.append(lookup)
        return lookup

    def route(self, item: Mapping[str, Any], list_name: str, label: str) -> dict[str, Any]:
        """A number or attachment with its agent and environment named through a lookup, when the tenant can."""
        routed = dict(item)
        agent_id, environment_id = item.get("agent_id"), item.get("environment_id")
        if not (isinstance(agent_id, str) and isinstance(environment_id, str)):
            return routed
        key = item.get("phone_number") if list_name == "phone_numbers" else f"{agent_id}/{environment_id}"
        lookup = self.resolve(agent_id, environment_id, f"{label} {list_name} {key}")
        if lookup is None:
            return routed
        routed["agent_id"] = AgentOutput(lookup, "agent_id")
        routed["environment_id"] = AgentOutput(lookup, "environment_id")
        # Attachments may carry the names too: tie them to the lookup when they say the same thing.
        if item.get("agent_name") == lookup.agent:
            routed["agent_name"] = AgentOutput(lookup, "agent_name")
        if item.get("environment_name") == lookup.environment:
            routed["environment_name"] = AgentOutput(lookup, "environment_name")
        return routed


# --------------------------------------------------------------------------------------------------------------
# The export


def export_model(
    documents: Sequence[Mapping[str, Any]],
    agents: Sequence[Agent],
    *,
    language: Language,
    strict_numbers: bool = False,
    numbers_as_resources: bool = False,
    attachments_as_resources: bool = False,
) -> TenantExport:
    """What the program declares for `documents` (API config documents) in a tenant with `agents`.

    `strict_numbers` (`phonecfg:strictPhoneNumbers`) warns of numbers the phone-number metadata calls invalid;
    `numbers_as_resources` declares each trunk's numbers as `PhoneNumber`s instead of its `phone_numbers`,
    `attachments_as_resources` each Genesys config's attachments as `AgentAttachment`s.
    """
    names = resource_names(documents)
    used_names = set(names.values())
    as_resources = {SIP_TRUNK: numbers_as_resources, GENESYS: attachments_as_resources}
    members: list[ExportedMember] = []
    refs = _AgentRefs(agents, language)
    ordered = sorted(documents, key=lambda d: names[str(d.get("id"))])
    secret_keys: list[SecretKey] = []
    used_keys: set[str] = set()
    configs: list[ExportedConfig] = []
    warnings: list[str] = []
    for document in ordered:
        config_id, kind = str(document.get("id")), config_kind(document)
        resource = names[config_id]
        label = f"config {config_name(document)!r} ({config_id})"
        inputs = declared_inputs(document)
        # Validated as declared, the credentials aside: the program reads them from secret config.
        for violation in validate_inputs(inputs, strict_numbers=strict_numbers, credentials_later=True)[1]:
            warnings.append(
                f"{label}: {violation} (fix it in {language.program_file} before `{language.apply_command}`)"
            )
        credentials = credential_fields(document)
        if credentials:
            security = dict(inputs.get("security", {}))
            for field_name, suffix in SECRET_KEYS[kind]:
                if field_name not in credentials:
                    continue
                key = unique(camel(resource) + suffix, used_keys)
                secret_keys.append(SecretKey(key, config_name(document), field_name))
                security[field_name] = SecretRead(key)
            # In the field order of the API document, wherever security was (or would have been).
            inputs = _in_order({**inputs, "security": security})
        for list_name in ROUTED_LISTS:
            items = inputs.get(list_name)
            if items:
                inputs[list_name] = [refs.route(item, list_name, label) for item in items]
        if as_resources.get(kind):
            # Left out of the config (never written by it), so the member resources are their only owners.
            list_name, member_kind = MEMBER_LISTS[kind]
            for item in inputs.pop(list_name, []):
                member_name = unique(f"{resource}-{_member_slug(item)}", used_names, separator="-")
                member_inputs = {"config_id": ConfigIdOf(resource), **item}
                members.append(ExportedMember(member_kind, member_name, resource, member_inputs))
        outputs = ("id", *INTEGRATION_FIELDS[kind])
        configs.append(ExportedConfig(config_id, resource, config_name(document), kind, inputs, outputs))
    return TenantExport(
        tuple(configs),
        tuple(members),
        tuple(refs.lookups),
        tuple(secret_keys),
        tuple(refs.warnings + warnings),
    )


def export_project(
    documents: Sequence[Mapping[str, Any]], agents: Sequence[Agent], options: ProjectOptions, language: Language
) -> TenantExport:
    """`export_model` with what `options` asks of it."""
    return export_model(
        documents,
        agents,
        language=language,
        strict_numbers=options.strict_numbers,
        numbers_as_resources=options.numbers_as_resources,
        attachments_as_resources=options.attachments_as_resources,
    )


def _member_slug(item: Mapping[str, Any]) -> str:
    """What a member's resource name says after its config's: the number (`14155550100`); for an attachment the
    agent and environment by name when the tenant names them (`billing-live`), else by their ids."""
    if "phone_number" in item:
        return slug(str(item["phone_number"]))
    agent, environment = item.get("agent_id"), item.get("environment_id")
    if isinstance(agent, AgentOutput) and isinstance(environment, AgentOutput):
        return slug(f"{agent.lookup.agent}-{agent.lookup.environment}") or "attachment"
    return slug(f"{agent}-{environment}")


# --------------------------------------------------------------------------------------------------------------
# Names in the program


class NameMaker(Protocol):
    """A renderer's maker of unique names in its language."""

    def make(self, text: str, *, fallback: str) -> str: ...


@dataclass(frozen=True)
class ProgramNames:
    """What the program calls each config (by resource name) and each agent lookup."""

    configs: dict[str, str]
    lookups: dict[AgentLookup, str]

    @property
    def references(self) -> dict[Any, str]:
        """Both, by what a placeholder names (`ConfigIdOf.resource_name`, `AgentOutput.lookup`)."""
        return {**self.configs, **self.lookups}


def program_names(exported: TenantExport, names: NameMaker, separator: str) -> ProgramNames:
    """Configs first, then agents in order of first use: the order the names were always handed out in.
    `separator` joins an agent's name and environment (`customer-care<separator>live`)."""
    configs = {c.resource_name: names.make(c.resource_name, fallback="config") for c in exported.configs}
    lookups = {
        lookup: names.make(f"{lookup.agent}{separator}{lookup.environment}", fallback="agent")
        for lookup in exported.lookups
    }
    return ProgramNames(configs, lookups)
