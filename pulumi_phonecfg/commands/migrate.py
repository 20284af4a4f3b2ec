"""`phonecfg migrate`: move a stack's PhoneConfigs, PhoneNumbers and AgentAttachments between the dynamic provider
and the native one, in its state.

A dynamic `PhoneConfig` is `pulumi-python:dynamic/phonecfg:PhoneConfig` in the state, a native one
`phonecfg:index:PhoneConfig` (likewise `PhoneNumber` and `AgentAttachment`): another type, so no alias bridges them.
Deleting each from the state and importing it again would leave a window in which a config is managed by nothing
(or, the other way round, by both), and the import reads no credentials, so the next `up` would have to send them
again. Instead the state is rewritten in one piece:

1. `pulumi stack export` (secrets encrypted) is kept as a backup file: `pulumi stack import --file` restores it;
2. `pulumi stack export --show-secrets` is read (through a pipe, never a file) and rewritten by `to_native` /
   `to_dynamic`, pure functions: each PhoneConfig, PhoneNumber and AgentAttachment keeps its resource name, id,
   inputs and outputs (the credential fingerprints included), only its type, its property names (snake_case <->
   camelCase) and its provider change; every reference to its URN (dependencies, parents, the `configId` of a
   number or an attachment) follows;
3. `pulumi stack import` (through a pipe) replaces the state in one write, which Pulumi encrypts again;
4. `pulumi preview --expect-no-changes` runs the program in the project: unless it plans cleanly on the moved
   state (the program was not switched, a resource name differs), the backup is imported again.

Before that write every resource is managed by the old provider, after it by the new one; nothing is sent to the
phone-config API at all. The program must be switched to the new provider (same resource names) at the same time:
the next `pulumi preview --expect-no-changes` then shows nothing to do.
"""

from __future__ import annotations

import argparse
import base64
import json
import pickletools
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from pulumi_phonecfg.commands.private_files import write_private_text
from pulumi_phonecfg.core.schema.case import to_camel, to_snake

DYNAMIC_TYPE: Final = "pulumi-python:dynamic/phonecfg:PhoneConfig"
NUMBER_DYNAMIC_TYPE: Final = "pulumi-python:dynamic/phonecfg:PhoneNumber"
# What a dynamic resource is called in the state when registered without its own type name.
GENERIC_DYNAMIC_TYPE: Final = "pulumi-python:dynamic:Resource"
NATIVE_TYPE: Final = "phonecfg:index:PhoneConfig"
NUMBER_NATIVE_TYPE: Final = "phonecfg:index:PhoneNumber"
ATTACHMENT_DYNAMIC_TYPE: Final = "pulumi-python:dynamic/phonecfg:AgentAttachment"
ATTACHMENT_NATIVE_TYPE: Final = "phonecfg:index:AgentAttachment"
DYNAMIC_PROVIDER_TYPE: Final = "pulumi:providers:pulumi-python"
NATIVE_PROVIDER_TYPE: Final = "pulumi:providers:phonecfg"
# The permanent module every dynamic provider class is pickled under (by reference).
PROVIDER_MODULE: Final = "pulumi_phonecfg.provider"
PROVIDER_INPUT: Final = "__provider"
CONFIG_PREFIX: Final = "phonecfg:"
# The key that marks a secret value in an exported deployment, and its value.
SECRET_SIG: Final = "4dabf18193072939515e22adb298388d"
SECRET_SIG_VALUE: Final = "1b47061264138c4ac30d75fd1eb44270"
DIRECTIONS: Final = ("native", "dynamic")


class MigrateError(Exception):
    """The state cannot be moved: one line saying why. Nothing has been written."""


@dataclass(frozen=True)
class MovableKind:
    """A resource that exists on both faces: its type in the state on each, and its dynamic provider's class."""

    name: str
    dynamic_type: str
    native_type: str
    provider_class: str  # the class name under PROVIDER_MODULE


PHONE_CONFIG: Final = MovableKind("PhoneConfig", DYNAMIC_TYPE, NATIVE_TYPE, "PhoneConfigProvider")
PHONE_NUMBER: Final = MovableKind("PhoneNumber", NUMBER_DYNAMIC_TYPE, NUMBER_NATIVE_TYPE, "PhoneNumberProvider")
AGENT_ATTACHMENT: Final = MovableKind(
    "AgentAttachment", ATTACHMENT_DYNAMIC_TYPE, ATTACHMENT_NATIVE_TYPE, "AgentAttachmentProvider"
)
KINDS: Final = (PHONE_CONFIG, PHONE_NUMBER, AGENT_ATTACHMENT)


@dataclass(frozen=True)
class Moved:
    kind: str
    name: str
    id: str
    old_urn: str
    new_urn: str


# --------------------------------------------------------------------------------------------------------------
# URNs and values (pure)


def _urn_parts(urn: str) -> tuple[str, str, str]:
    """`urn:pulumi:<stack>::<project>::<qualified type>::<name>` -> (prefix up to the type, type, name)."""
    head, sep, rest = urn.partition("::")
    project, _, rest = rest.partition("::")
    qualified, _, name = rest.partition("::")
    if not (sep and project and qualified and name):
        raise MigrateError(f"not a resource URN: {urn}")
    return f"{head}::{project}::", qualified, name


def _retyped(urn: str, new_type: str) -> str:
    """The URN with its own type (the last `$` segment of the qualified type) replaced."""
    prefix, qualified, name = _urn_parts(urn)
    parents, _, _ = qualified.rpartition("$")
    return f"{prefix}{parents + '$' if parents else ''}{new_type}::{name}"


def _provider_urn(any_urn: str, provider_type: str, name: str) -> str:
    prefix, _, _ = _urn_parts(any_urn)
    return f"{prefix}{provider_type}::{name}"


def _renamed(value: Any, name: Callable[[str], str]) -> Any:
    """Every mapping key in a property value renamed by `name`, inside secrets too (in plaintext, as
    `stack export --show-secrets` gives them; `stack import` encrypts them again)."""
    if isinstance(value, Mapping) and SECRET_SIG in value:
        if "plaintext" not in value:
            raise MigrateError("the exported state holds encrypted secrets: it must be read with --show-secrets")
        return {SECRET_SIG: value[SECRET_SIG], "plaintext": json.dumps(_renamed(json.loads(value["plaintext"]), name))}
    if isinstance(value, Mapping):
        return {name(str(key)): _renamed(item, name) for key, item in value.items()}
    if isinstance(value, list):
        return [_renamed(item, name) for item in value]
    return value


def _properties(properties: Mapping[str, Any], name: Callable[[str], str]) -> dict[str, Any]:
    """Inputs or outputs with their names renamed, the dynamic provider's pickled provider left out."""
    return dict(_renamed({k: v for k, v in properties.items() if k != PROVIDER_INPUT}, name))


def _pickled_class(resource: Mapping[str, Any]) -> str | None:
    """The class name of a dynamic resource's provider when it is one of ours (under PROVIDER_MODULE)."""
    pickled = (resource.get("inputs") or {}).get(PROVIDER_INPUT)
    if not isinstance(pickled, str):
        return None
    try:
        strings = [arg for _, arg, _ in pickletools.genops(base64.b64decode(pickled)) if isinstance(arg, str)]
    except (ValueError, TypeError):
        return None
    return strings[1] if len(strings) >= 2 and strings[0] == PROVIDER_MODULE else None


def _resource_type(resource: Mapping[str, Any]) -> str:
    return str(resource.get("type", ""))


def dynamic_kind(resource: Mapping[str, Any]) -> MovableKind | None:
    """Which of ours a dynamic resource is (by its type, or by its pickled provider when registered generically)."""
    type_ = _resource_type(resource)
    if type_ == GENERIC_DYNAMIC_TYPE:
        provider_class = _pickled_class(resource)
        return next((kind for kind in KINDS if kind.provider_class == provider_class), None)
    return next((kind for kind in KINDS if kind.dynamic_type == type_), None)


def native_kind(resource: Mapping[str, Any]) -> MovableKind | None:
    return next((kind for kind in KINDS if kind.native_type == _resource_type(resource)), None)


def _rewrite_references(resources: list[dict[str, Any]], renamed: Mapping[str, str]) -> None:
    """Every URN of `renamed` in parents, dependencies and property dependencies, replaced in place."""
    for resource in resources:
        for key in ("parent", "deletedWith"):
            if resource.get(key) in renamed:
                resource[key] = renamed[resource[key]]
        if isinstance(resource.get("dependencies"), list):
            resource["dependencies"] = [renamed.get(u, u) for u in resource["dependencies"]]
        dependencies = resource.get("propertyDependencies")
        if isinstance(dependencies, Mapping):
            resource["propertyDependencies"] = {k: [renamed.get(u, u) for u in v] for k, v in dependencies.items()}


def _check_movable(deployment: Mapping[str, Any]) -> None:
    if deployment.get("pending_operations"):
        raise MigrateError(
            "the stack has pending operations from an interrupted update: finish them first "
            "(`pulumi refresh --clear-pending-creates`, see 'Recovering from an interrupted up' in "
            "docs/guides/troubleshooting.md)"
        )


def _provider_ref(provider: Mapping[str, Any]) -> str:
    return f"{provider['urn']}::{provider['id']}"


def _find(resources: Sequence[Mapping[str, Any]], urn: str) -> dict[str, Any] | None:
    return next((dict(r) for r in resources if r.get("urn") == urn), None)


def _moved_urn(
    resources: Sequence[Mapping[str, Any]],
    resource: Mapping[str, Any],
    new_type: str,
    kind: MovableKind,
    moved: list[Moved],
) -> str:
    """The resource's URN under `new_type`, recorded in `moved`; refused when that URN is taken already."""
    new_urn = _retyped(resource["urn"], new_type)
    if _find(resources, new_urn) is not None:
        raise MigrateError(f"{new_urn} is already in the state: the stack is half moved; restore a backup first")
    moved.append(Moved(kind.name, new_urn.rsplit("::", 1)[-1], str(resource.get("id")), resource["urn"], new_urn))
    return new_urn


def _drop_unused_provider(resources: list[dict[str, Any]], provider_urn: str) -> list[dict[str, Any]]:
    """Without the provider when nothing refers to it any more (the engine would delete it: a change)."""
    if any(str(r.get("provider", "")).startswith(provider_urn + "::") for r in resources):
        return resources
    return [r for r in resources if r.get("urn") != provider_urn]


# --------------------------------------------------------------------------------------------------------------
# The two directions (pure)


def to_native(deployment: Mapping[str, Any], *, provider_name: str = "default") -> tuple[dict[str, Any], list[Moved]]:
    """The deployment (secrets in plaintext) with every dynamic resource of `KINDS` as a native one.

    The native provider `pulumi:providers:phonecfg::<provider_name>` is added when missing, with the stack's
    `phonecfg:*` settings that the dynamic provider was configured with (what the engine passes it from the stack
    config); the dynamic provider goes when nothing else uses it.
    """
    _check_movable(deployment)
    resources = [dict(r) for r in deployment.get("resources") or []]
    kinds = {r["urn"]: kind for r in resources if (kind := dynamic_kind(r)) is not None}
    ours = [r for r in resources if r.get("urn") in kinds]
    if not ours:
        return dict(deployment), []
    provider_urn = _provider_urn(ours[0]["urn"], NATIVE_PROVIDER_TYPE, provider_name)
    provider = _find(resources, provider_urn)
    dynamic_provider_urn = str(ours[0].get("provider", "")).rpartition("::")[0]
    if provider is None:
        old = _find(resources, dynamic_provider_urn) or {}
        settings = {
            key.removeprefix(CONFIG_PREFIX): value
            for key, value in (old.get("inputs") or {}).items()
            if key.startswith(CONFIG_PREFIX)
        }
        provider = {
            "urn": provider_urn,
            "custom": True,
            "id": str(uuid.uuid4()),
            "type": NATIVE_PROVIDER_TYPE,
            "inputs": settings,
            "outputs": dict(settings),
        }
        first = resources.index(ours[0])
        resources.insert(first, provider)
    renamed: dict[str, str] = {}
    moved: list[Moved] = []
    for resource in ours:
        kind = kinds[resource["urn"]]
        new_urn = _moved_urn(resources, resource, kind.native_type, kind, moved)
        renamed[resource["urn"]] = new_urn
        resource.update(
            urn=new_urn,
            type=kind.native_type,
            provider=_provider_ref(provider),
            inputs=_properties(resource.get("inputs") or {}, to_camel),
            outputs=_properties(resource.get("outputs") or {}, to_camel),
        )
        if isinstance(resource.get("propertyDependencies"), Mapping):
            resource["propertyDependencies"] = _properties(resource["propertyDependencies"], to_camel)
    _rewrite_references(resources, renamed)
    if dynamic_provider_urn:
        resources = _drop_unused_provider(resources, dynamic_provider_urn)
    return {**deployment, "resources": resources}, moved


def to_dynamic(
    deployment: Mapping[str, Any], *, serialized_providers: Mapping[str, str], stack_config: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Moved]]:
    """The deployment (secrets in plaintext) with every native resource of `KINDS` as a dynamic one (moving back).

    `serialized_providers`: the `__provider` input each dynamic resource writes, by the name of its kind
    (`serialized_providers()`); `stack_config` the stack's config as the engine passes it to the dynamic provider
    (every key, secrets as secret values), used when the state has no dynamic provider yet.
    """
    _check_movable(deployment)
    resources = [dict(r) for r in deployment.get("resources") or []]
    kinds = {r["urn"]: kind for r in resources if (kind := native_kind(r)) is not None}
    ours = [r for r in resources if r.get("urn") in kinds]
    if not ours:
        return dict(deployment), []
    provider_urn = _provider_urn(ours[0]["urn"], DYNAMIC_PROVIDER_TYPE, "default")
    provider = _find(resources, provider_urn)
    native_provider_urn = str(ours[0].get("provider", "")).rpartition("::")[0]
    if provider is None:
        provider = {
            "urn": provider_urn,
            "custom": True,
            "id": str(uuid.uuid4()),
            "type": DYNAMIC_PROVIDER_TYPE,
            "inputs": dict(stack_config),
            "outputs": dict(stack_config),
        }
        resources.insert(resources.index(ours[0]), provider)
    renamed: dict[str, str] = {}
    moved: list[Moved] = []
    for resource in ours:
        kind = kinds[resource["urn"]]
        new_urn = _moved_urn(resources, resource, kind.dynamic_type, kind, moved)
        renamed[resource["urn"]] = new_urn
        inputs = _properties(resource.get("inputs") or {}, to_snake)
        outputs = _properties(resource.get("outputs") or {}, to_snake)
        pickled = serialized_providers[kind.name]
        resource.update(
            urn=new_urn,
            type=kind.dynamic_type,
            provider=_provider_ref(provider),
            inputs={PROVIDER_INPUT: pickled, **inputs},
            outputs={PROVIDER_INPUT: pickled, **outputs},
        )
        if isinstance(resource.get("propertyDependencies"), Mapping):
            resource["propertyDependencies"] = _properties(resource["propertyDependencies"], to_snake)
    _rewrite_references(resources, renamed)
    if native_provider_urn:
        resources = _drop_unused_provider(resources, native_provider_urn)
    return {**deployment, "resources": resources}, moved


# --------------------------------------------------------------------------------------------------------------
# The command


def _pulumi(args: Sequence[str], *, cwd: Path, stdin: str | None = None) -> str:
    """`pulumi <args>` in `cwd`; a failure is one line (the CLI's last error line), never its whole output."""
    done = subprocess.run(["pulumi", *args], cwd=cwd, input=stdin, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        raise MigrateError(f"`pulumi {' '.join(args[:2])}` failed: {lines[-1] if lines else f'exit {done.returncode}'}")
    return done.stdout


def serialized_providers() -> dict[str, str]:
    """The `__provider` input each dynamic kind writes (by kind name): the provider class, by reference."""
    from pulumi.dynamic.dynamic import serialize_provider

    from pulumi_phonecfg.dynamic import providers
    from pulumi_phonecfg.dynamic.pickler_guard import isolated_pickler

    with isolated_pickler():
        return {kind.name: str(serialize_provider(getattr(providers, kind.provider_class)())) for kind in KINDS}


def _secret(value: Any) -> dict[str, str]:
    return {SECRET_SIG: SECRET_SIG_VALUE, "plaintext": json.dumps(value)}


def stack_config_as_inputs(config: Mapping[str, Any]) -> dict[str, Any]:
    """`pulumi config --json --show-secrets` as the engine passes the stack config to the dynamic provider."""
    inputs: dict[str, Any] = {}
    for key, entry in config.items():
        value = entry.get("value")
        inputs[key] = _secret(value) if entry.get("secret") else value
    return inputs


def _say(line: str) -> None:
    print(f"phonecfg migrate: {line}", file=sys.stderr, flush=True)


def _check_plan(stack: str, cwd: Path, backup: Path) -> None:
    """`pulumi preview --expect-no-changes` with the program in `cwd`; not clean: the backup goes back, an error.

    Without this, moving the state but not the program would leave an `up` that re-adopts each config under the
    old provider and then deletes it under the new one.
    """
    command = ["pulumi", "preview", "--expect-no-changes", "--non-interactive", "--stack", stack]
    plan = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if plan.returncode == 0:
        return
    _pulumi(["stack", "import", "--stack", stack, "--file", str(backup)], cwd=cwd)
    planned = [line.strip() for line in plan.stdout.splitlines() if re.match(r"\s+[-+~]+ \d+ to ", line)]
    found = ", ".join(planned) or next(
        (line.strip() for line in reversed(plan.stderr.splitlines()) if line.strip()), f"exit {plan.returncode}"
    )
    raise MigrateError(
        f"the program in {cwd} does not plan cleanly on the moved state ({found}), so the state before was put "
        f"back from {backup}: switch the program to the provider you move to (same resource names) and run "
        "phonecfg migrate again"
    )


def run_migrate(*, stack: str, cwd: Path, to: str, backup: Path | None, dry_run: bool, verify: bool = True) -> int:
    """`phonecfg migrate`: 0 when moved (or nothing to move); 1 with one line on stderr, the state as before."""
    try:
        if shutil.which("pulumi") is None:
            raise MigrateError("the pulumi command is not on PATH")
        if to not in DIRECTIONS:
            raise MigrateError(f"--to {to!r}: use one of {', '.join(DIRECTIONS)}")
        encrypted = _pulumi(["stack", "export", "--stack", stack], cwd=cwd)
        exported = json.loads(_pulumi(["stack", "export", "--show-secrets", "--stack", stack], cwd=cwd))
        deployment = exported.get("deployment") or {}
        if to == "native":
            moved_deployment, moved = to_native(deployment)
        else:
            config = json.loads(_pulumi(["config", "--json", "--show-secrets", "--stack", stack], cwd=cwd))
            moved_deployment, moved = to_dynamic(
                deployment, serialized_providers=serialized_providers(), stack_config=stack_config_as_inputs(config)
            )
        if not moved:
            other = "dynamic" if to == "native" else "native"
            print(f"Nothing to move: stack {stack!r} has no {other} {', '.join(k.name for k in KINDS)}.")
            return 0
        for item in moved:
            verb = "would move" if dry_run else "moving"
            print(f"{verb} {item.kind} {item.name} ({item.id}): {item.old_urn} -> {item.new_urn}")
        if dry_run:
            return 0
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = backup or cwd / f"{stack}-state-before-migrate-{stamp}.json"
        write_private_text(backup, encrypted)  # secrets encrypted as `pulumi stack export` writes them; owner only
        _pulumi(
            ["stack", "import", "--stack", stack],
            cwd=cwd,
            stdin=json.dumps({**exported, "deployment": moved_deployment}),
        )
        after = json.loads(_pulumi(["stack", "export", "--stack", stack], cwd=cwd)).get("deployment") or {}
        now = {r.get("urn"): str(r.get("id")) for r in after.get("resources") or []}
        lost = [item.name for item in moved if now.get(item.new_urn) != item.id]
        if lost:
            raise MigrateError(
                f"the imported state lacks {', '.join(lost)}: restore it with "
                f"`pulumi stack import --stack {stack} --file {backup}`"
            )
        if verify:
            _check_plan(stack, cwd, backup)
    except MigrateError as error:
        _say(str(error))
        return 1
    tally = ((sum(m.kind == k.name for m in moved), k.name) for k in KINDS)
    counts = ", ".join(f"{count} {name}(s)" for count, name in tally if count)
    print(f"Moved {counts} of stack {stack!r} to the {to} provider; state before: {backup}")
    if verify:
        print("The program plans cleanly on it: `pulumi preview --expect-no-changes` passed.")
    else:
        print(f"Next: `pulumi preview --stack {stack} --expect-no-changes` with the {to} program.")
    print(f"To undo: `pulumi stack import --stack {stack} --file {backup}` (and the old program).")
    return 0


MIGRATE_EPILOG = """steps (in the project directory of the stack):
  1. replace the program files with the native program (same resource names; the stack file stays),
     e.g. from `phonecfg export --all --language yaml --out <dir>`
  2. phonecfg migrate --stack dev --dry-run      what would move
  3. phonecfg migrate --stack dev                keeps a backup of the state, rewrites it in one import, then
                                                 checks `pulumi preview --expect-no-changes` (puts it back if not)
back to the dynamic provider: the Python program again, then phonecfg migrate --stack dev --to dynamic
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="phonecfg migrate",
        description="Move a stack's PhoneConfigs, PhoneNumbers and AgentAttachments between the dynamic provider and "
        "the native one, in the state only: same names, same ids, nothing sent to the API. Switch the program at the "
        "same time.",
        epilog=MIGRATE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-s", "--stack", required=True, help="The stack to move")
    parser.add_argument("--to", choices=DIRECTIONS, default="native", help="native (default) or dynamic (back)")
    parser.add_argument("-C", "--cwd", type=Path, default=Path("."), help="The project directory (default: .)")
    parser.add_argument("--backup", type=Path, help="Where to keep the state before (default: in the project)")
    parser.add_argument("--dry-run", action="store_true", help="Say what would move; write nothing")
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="Skip the clean-preview check of the program in the project (which puts the state back if it fails)",
    )
    return parser


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    return run_migrate(
        stack=args.stack, cwd=args.cwd, to=args.to, backup=args.backup, dry_run=args.dry_run, verify=not args.no_verify
    )
