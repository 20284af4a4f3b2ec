"""`phonecfg:index:PhoneConfig`: the engine's calls, translated at the boundary to the dynamic provider's lifecycle.

Every decision (validation, canonical form, what a change is, which requests to send) is made by the same
functions in `core/lifecycle/phone_config.py` the dynamic `PhoneConfig` uses; here the program's camelCase
names become the API's snake_case on the way in and back on the way out, and a few things only a native provider
has are added: the detailed diff, the inputs of an import, and secrecy marked on the wire.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.lifecycle.known_configs import KnownConfigs
from pulumi_phonecfg.core.lifecycle.phone_config import (
    changed_fields,
    check_inputs,
    create_config,
    delete_config,
    diff_config,
    read_config,
    update_config,
)
from pulumi_phonecfg.core.lifecycle.results import CheckResult
from pulumi_phonecfg.core.schema.canonical import canonical_values
from pulumi_phonecfg.core.schema.case import to_camel
from pulumi_phonecfg.core.schema.fields import PHONE_CONFIG, Field, element_key, object_type
from pulumi_phonecfg.core.schema.fingerprints import SECRET_FIELDS
from pulumi_phonecfg.core.schema.models import INPUT_FIELDS
from pulumi_phonecfg.native.diff import Change, detailed_diff
from pulumi_phonecfg.native.names import (
    InputShape,
    inputs_to_api,
    keys_to_api,
    keys_to_program,
    program_path,
    program_text,
)

TOKEN: Final = "phonecfg:index:PhoneConfig"
LifecycleCheck = Callable[..., CheckResult]  # check_inputs, check_number: (inputs in API names, **options)
# Always secret, in inputs and outputs (`security`: the credentials; in outputs, their fingerprints).
SECRET_PROPERTIES: Final = frozenset(to_camel(f.name) for f in PHONE_CONFIG.inputs if f.secret)
CREDENTIAL_HINT: Final = (
    " (the API never returns credentials: after `pulumi import`, declare it in the program, e.g. from a secret "
    "stack config value; the next `up` sends it once)"
)


def _program_key(key_of: Callable[[Mapping[str, Any]], Hashable]) -> Callable[[Mapping[str, Any]], Hashable]:
    return lambda item: key_of(keys_to_api(item))


# The set-like lists, in program names, and how their elements (program names too) are told apart.
SET_KEYS: Final = {to_camel(f.name): _program_key(element_key(f)) for f in PHONE_CONFIG.inputs if f.set_key}


def _shape(fields: tuple[Field, ...]) -> InputShape:
    properties: dict[str, InputShape | None] = {}
    for f in fields:
        nested = object_type(f.type)
        properties[f.name] = _shape(nested.fields) if nested is not None else None
    return InputShape(properties)


@functools.cache
def input_shape() -> InputShape:
    """What a program may write on a PhoneConfig, from the field table."""
    return _shape(PHONE_CONFIG.inputs)


# --------------------------------------------------------------------------------------------------------------


@dataclass
class Checked:
    inputs: dict[str, Any]
    failures: list[tuple[str, str]]  # (program path, reason)


def check(news: Mapping[str, Any], *, strict_numbers: bool) -> Checked:
    return checked_by(check_inputs, news, input_shape(), strict_numbers=strict_numbers)


def checked_by(lifecycle_check: LifecycleCheck, news: Mapping[str, Any], shape: InputShape, **options: Any) -> Checked:
    """Program inputs checked by a lifecycle's check (PhoneConfig's, PhoneNumber's): translated to API names by
    `shape`; unknown properties and the lifecycle's failures reported as the program spells them; the checked
    inputs back in camelCase."""
    translated = inputs_to_api({k: v for k, v in news.items() if not k.startswith("__")}, shape)
    result = lifecycle_check(translated.value, **options)
    failures = translated.unknown + [
        (program_path(f.property), _with_hint(f.property, program_text(f.reason))) for f in result.failures or []
    ]
    if failures:
        return Checked(dict(news), failures)
    return Checked(keys_to_program(result.inputs or {}), [])


def _with_hint(path: str, reason: str) -> str:
    leaf = path.rsplit(".", 1)[-1]
    return reason + CREDENTIAL_HINT if leaf in SECRET_FIELDS and "required" in reason else reason


@dataclass
class Diff:
    changes: bool
    replaces: list[str]
    changed: list[str]  # top-level properties, program names
    detailed: dict[str, tuple[Change, bool]] = field(default_factory=dict)  # path -> (kind, replaces)


def diff(olds: Mapping[str, Any], news: Mapping[str, Any]) -> Diff:
    """`olds`: prior outputs; `news`: checked inputs (both program names)."""
    old_values, new_values = keys_to_api(olds), keys_to_api(news)
    decision = diff_config(old_values, new_values)
    replaces = list(decision.replaces or [])
    changed = changed_fields(old_values, canonical_values(new_values)) if decision.changes else []
    detailed = {
        program_path(path): (kind, path.split(".", 1)[0].split("[", 1)[0] in replaces)
        for path, kind in detailed_diff(old_values, canonical_values(new_values), changed).items()
    }
    return Diff(
        changes=bool(decision.changes),
        replaces=[program_path(name) for name in replaces],
        changed=[program_path(name) for name in changed],
        detailed=detailed,
    )


@dataclass
class Created:
    id: str
    outputs: dict[str, Any]
    adopted: bool  # an existing object taken over: an older resource may hold the same id


def create(api: PhoneApiClient, inputs: Mapping[str, Any], *, known: KnownConfigs, adopt_default: bool) -> Created:
    result = create_config(api, keys_to_api(inputs), known=known, adopt_default=adopt_default)
    return Created(str(result.id), keys_to_program(result.outs or {}), result.adopted)


@dataclass
class Read:
    id: str  # "" when the config is gone
    outputs: dict[str, Any]
    inputs: dict[str, Any] | None  # None: keep the inputs the engine has


def read(api: PhoneApiClient, config_id: str, outputs: Mapping[str, Any], inputs: Mapping[str, Any]) -> Read:
    """Refresh (prior outputs given) or import (the id only): one GET either way.

    An import has no inputs yet: they are the config as read, in canonical form, minus what the API cannot
    return (credentials) and minus empty lists (declaring a list takes ownership of it).
    """
    result = read_config(api, config_id, keys_to_api(outputs))
    if not result.id:
        return Read("", {}, None)
    read_outputs = dict(result.outs or {})
    imported = None if inputs else keys_to_program(import_inputs(read_outputs))
    return Read(str(result.id), keys_to_program(read_outputs), imported)


def import_inputs(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs that describe a config as read (API names): the input fields, credentials left out."""
    inputs: dict[str, Any] = {}
    for name in INPUT_FIELDS:
        value = outputs.get(name)
        if name == "security" and isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if k != "fingerprints" and k not in SECRET_FIELDS} or None
        if value is None or value == []:
            continue
        inputs[name] = value
    return inputs


def update(
    api: PhoneApiClient, config_id: str, olds: Mapping[str, Any], news: Mapping[str, Any], *, known: KnownConfigs
) -> dict[str, Any]:
    result = update_config(api, config_id, keys_to_api(olds), keys_to_api(news), known=known)
    return dict(keys_to_program(result.outs or {}))


def delete(api: PhoneApiClient, config_id: str, *, known: KnownConfigs) -> None:
    delete_config(api, config_id, known=known)
