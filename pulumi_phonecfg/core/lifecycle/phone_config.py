"""The PhoneConfig lifecycle as plain functions of (API client, properties): check, diff, create, read, update,
delete. Each face wires its calls to them (`dynamic/providers.py`, `native/phone_config.py`); here they are
tested alone.

What the engine passes: check(old inputs, new inputs), diff/update(old *outputs*,
checked new inputs), read/delete(old outputs); every dict carries `__provider`; during preview, check and diff see
`pulumi.output.Unknown` values. Every request body is built here (which fields a POST or a PATCH carries);
`client.py` only sends them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from pulumi.output import contains_unknowns

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.errors import ConfigConflictError, PartialCreateError, PhoneApiError
from pulumi_phonecfg.core.http.field_text import FieldSetting, FieldText
from pulumi_phonecfg.core.lifecycle.known_configs import (
    ConfigKey,
    KnownConfigs,
    config_key,
    post_without_duplicates,
)
from pulumi_phonecfg.core.lifecycle.results import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)
from pulumi_phonecfg.core.schema.api_documents import api_value, outputs_from_api
from pulumi_phonecfg.core.schema.canonical import canonical_field, canonical_inputs, canonical_values, declared_fields
from pulumi_phonecfg.core.schema.fingerprints import security_matches
from pulumi_phonecfg.core.schema.integration import integration_outputs
from pulumi_phonecfg.core.schema.models import (
    INPUT_FIELDS,
    LIST_FIELDS_SET_AFTER_CREATE,
    REPLACE_FIELDS,
    SHARED_LIST_FIELDS,
    SIP_TRUNK,
    validate_field,
    validate_inputs,
)

PROVIDER_KEY = "__provider"
# Not a field of the config: how create treats a config that already has the declared name. Never sent.
ADOPT_KEY = "adopt_existing"


# --------------------------------------------------------------------------------------------------------------
# check: validation and canonical form, before any HTTP request


def _failure(path: str, message: str) -> CheckFailure:
    # The engine prints the input value of a property named exactly like a top-level key. Never let that be
    # the whole `security` object: it holds credentials.
    return CheckFailure("security (object)" if path == "security" else path, message)


def check_inputs(news: Mapping[str, Any], *, strict_numbers: bool = False) -> CheckResult:
    """`strict_numbers`: the provider setting `phonecfg:strictPhoneNumbers` (see models.normalize_e164)."""
    raw = {k: v for k, v in news.items() if k not in (PROVIDER_KEY, ADOPT_KEY)}
    checked = check_config(raw, strict_numbers=strict_numbers)
    adopt = news.get(ADOPT_KEY)
    if adopt is None:
        return checked
    failures = list(checked.failures or [])
    if not contains_unknowns(adopt) and not isinstance(adopt, bool):
        failures.append(CheckFailure(ADOPT_KEY, "must be true or false"))
    return CheckResult({**(checked.inputs or {}), ADOPT_KEY: adopt}, failures)


def check_config(raw: dict[str, Any], *, strict_numbers: bool = False) -> CheckResult:
    if not contains_unknowns(raw):
        model, violations = validate_inputs(raw, strict_numbers=strict_numbers)
        if model is None:
            return CheckResult(raw, [_failure(v.path, v.message) for v in violations])
        return CheckResult(canonical_inputs(model), [])
    # Preview with values that depend on resources not yet created: check what is known, pass the rest on.
    kind = raw.setdefault("service_provider", SIP_TRUNK)
    known_kind = isinstance(kind, str)
    defaults = declared_fields(kind, raw) if known_kind else ()
    names = list(raw) + [n for n in defaults if n not in raw]
    checked: dict[str, Any] = {}
    failures: list[CheckFailure] = []
    for name in names:
        value = raw.get(name)
        if contains_unknowns(value):
            checked[name] = value
            continue
        if value is not None:
            value, violations = validate_field(name, value, strict_numbers=strict_numbers)
            failures += [_failure(v.path, v.message) for v in violations]
            if violations:
                checked[name] = raw[name]
                continue
        checked[name] = canonical_field(name, value, kind) if known_kind else value
    return CheckResult({k: v for k, v in checked.items() if v is not None}, failures)


# --------------------------------------------------------------------------------------------------------------
# diff: no HTTP; canonical new inputs against prior outputs, whether or not they went through check


def changed_fields(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """The declared fields whose value differs from `olds` (outputs, or a config as the API returns it).

    A shared list the program leaves out (`SHARED_LIST_FIELDS`) is never a change: numbers or attachments that
    another party added are theirs, and writing the list would remove them.
    """
    changed = []
    for name in INPUT_FIELDS:
        new, old = news.get(name), olds.get(name)
        if new is None and name in SHARED_LIST_FIELDS:
            continue
        if contains_unknowns(new):
            changed.append(name)
        elif name == "security":
            if not security_matches(new, old):
                changed.append(name)
        elif new != old:
            changed.append(name)
    return changed


def diff_config(olds: Mapping[str, Any], news: Mapping[str, Any]) -> DiffResult:
    # A pure function of canonical values: inputs that skipped `check` compare like checked ones (olds are
    # outputs, canonical by construction). The per-property display of a preview is the engine's own.
    changed = changed_fields(olds, canonical_values(news))
    replaces = [name for name in changed if name in REPLACE_FIELDS]
    # changes must be explicit: None would make the engine diff raw inputs itself, `__provider` included.
    return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=False)


# --------------------------------------------------------------------------------------------------------------
# create / read / update / delete


def _label(props: Mapping[str, Any]) -> str:
    return repr(props.get("name", "?"))


def _outputs(
    api: PhoneApiClient,
    config_id: str,
    document: Mapping[str, Any],
    *,
    desired_security: Mapping[str, Any] | None,
    fingerprints: Mapping[str, Any],
) -> dict[str, Any]:
    """The resource's outputs: the config in canonical form plus what the other side needs to connect."""
    outputs = outputs_from_api(document, desired_security=desired_security, fingerprints=fingerprints)
    outputs.update(integration_outputs(api.instance_url, config_id, outputs))
    return outputs


def _fingerprints(outputs: Mapping[str, Any]) -> Mapping[str, Any]:
    security = outputs.get("security")
    found = security.get("fingerprints") if isinstance(security, Mapping) else None
    return found if isinstance(found, Mapping) else {}


def create_config(
    api: PhoneApiClient, props: Mapping[str, Any], *, known: KnownConfigs, adopt_default: bool
) -> CreateResult:
    """Create the declared config, or adopt the one existing config of that name and kind.

    `known` (one list of the tenant per provider process) decides: no config of that name and kind -> POST;
    one, with adoption -> take it over; otherwise a one-line refusal, so a re-run after an interrupted `up` never
    silently duplicates a config. Creates of one name are serialized in this process, so two resources
    declaring it cannot both POST. `adopt_default` is `phonecfg:adoptExisting`, for a resource that says nothing.
    """
    inputs = {k: props[k] for k in INPUT_FIELDS if k in props}
    operation = f"create phone config {_label(inputs)}"
    adopt = props.get(ADOPT_KEY)
    if not isinstance(adopt, bool):
        adopt = adopt_default
    with _creating(config_key(inputs)):
        try:
            existing = known.ids(inputs)
        except PhoneApiError as error:
            raise PhoneApiError(operation, error.status, f"could not list the configs: {error.detail}") from None
        result = _create_or_adopt(api, inputs, existing, adopt=adopt, known=known, operation=operation)
        known.added(str(result.id), inputs)
        return result


def _create_or_adopt(
    api: PhoneApiClient,
    inputs: Mapping[str, Any],
    existing: list[str],
    *,
    adopt: bool,
    known: KnownConfigs,
    operation: str,
) -> CreateResult:
    name, kind = config_key(inputs)
    if not existing:
        return _post_config(api, inputs, operation)
    ids = ", ".join(existing)
    if not adopt:
        raise ConfigConflictError(
            FieldText(
                f"{operation} failed: a {kind} config named {name!r} already exists ({ids}); to take it over "
                "instead of creating a duplicate, set ",
                FieldSetting(ADOPT_KEY, True),
                " on the PhoneConfig (or `pulumi config set phonecfg:adoptExisting true` for the whole stack)",
            )
        )
    if len(existing) > 1:
        raise ConfigConflictError(
            f"{operation} failed: cannot adopt: {len(existing)} {kind} configs are named {name!r} ({ids}); "
            "delete or rename all but one"
        )
    try:
        document = api.get_config(existing[0])
    except PhoneApiError as error:
        detail = f"{error.detail} (reading the existing config {existing[0]} to adopt it)"
        raise PhoneApiError(operation, error.status, detail) from None
    if document is None:  # deleted since this process listed the tenant: nothing left to adopt
        known.removed(existing[0])
        return _post_config(api, inputs, operation)
    return _adopt_config(api, document, inputs, operation)


_creating_guard = threading.Lock()
_creating_locks: dict[ConfigKey, threading.Lock] = {}


@contextmanager
def _creating(key: ConfigKey) -> Iterator[None]:
    with _creating_guard:
        lock = _creating_locks.setdefault(key, threading.Lock())
    with lock:
        yield


def _post_config(api: PhoneApiClient, inputs: Mapping[str, Any], operation: str) -> CreateResult:
    body = {k: api_value(k, v) for k, v in inputs.items() if k not in LIST_FIELDS_SET_AFTER_CREATE}
    body.setdefault("security", {})  # required by the create schema, even for a SIP trunk without auth
    document = post_without_duplicates(api, body, label=_label(inputs))
    config_id = str(document.get("id") or "")
    if not config_id:
        raise PhoneApiError(operation, None, "the response carries no id")
    # The create schema has no phone_numbers / attached_environments: one PATCH sets them.
    follow_up = {k: api_value(k, inputs[k]) for k in LIST_FIELDS_SET_AFTER_CREATE if inputs.get(k)}
    if follow_up:
        try:
            completed = api.update_config(config_id, follow_up, label=_label(inputs))
        except PhoneApiError as error:
            created = _outputs(api, config_id, document, desired_security=inputs.get("security", {}), fingerprints={})
            raise _compensate(api, config_id, created, operation, error) from None
        document = completed
    outputs = _outputs(api, config_id, document, desired_security=inputs.get("security", {}), fingerprints={})
    return CreateResult(config_id, outputs)


def _adopt_config(
    api: PhoneApiClient, existing: Mapping[str, Any], inputs: Mapping[str, Any], operation: str
) -> CreateResult:
    """Take over an existing config: one PATCH of the fields that differ from the declared state.

    Compared exactly like an update compares state with the program, so the next preview is clean by
    construction. Credentials cannot be compared (the API never returns them), so a declared credential is
    always sent, with the whole `security` object. Never deleted on failure: the config was not ours.
    """
    config_id = str(existing["id"])
    observed = outputs_from_api(existing, desired_security=None, fingerprints={})
    body = {name: api_value(name, inputs.get(name)) for name in changed_fields(observed, inputs)}
    document: Mapping[str, Any] = existing
    if body:
        try:
            document = api.update_config(config_id, body, append=False, label=_label(inputs))
        except PhoneApiError as error:
            detail = f"{error.detail} (adopting the existing config {config_id})"
            raise PhoneApiError(operation, error.status, detail) from None
    outputs = _outputs(api, config_id, document, desired_security=inputs.get("security", {}), fingerprints={})
    return CreateResult(config_id, outputs, adopted=True)


def _compensate(
    api: PhoneApiClient, config_id: str, created: dict[str, Any], operation: str, error: PhoneApiError
) -> PhoneApiError:
    """Delete a config whose creation failed half way, so nothing is orphaned; say so in the error.

    The error names the create the user ran, not the follow-up PATCH it failed in. When the DELETE fails too, a
    `PartialCreateError` carries the config as created (`created`, outputs), for a face that can keep it.
    """
    try:
        api.delete_config(config_id)
    except PhoneApiError as cleanup:
        note = f"; the half-created config {config_id} could NOT be deleted ({cleanup.detail}): delete it by hand"
        cause = PhoneApiError(operation, error.status, error.detail)
        return PartialCreateError(
            operation, error.status, error.detail + note, config_id=config_id, outputs=created, cause=str(cause)
        )
    return PhoneApiError(
        operation, error.status, error.detail + f"; the half-created config {config_id} was deleted again"
    )


def read_config(api: PhoneApiClient, config_id: str, props: Mapping[str, Any]) -> ReadResult:
    document = api.get_config(config_id)
    if document is None:
        return ReadResult("", {})  # gone: the engine drops it from state
    outputs = _outputs(api, config_id, document, desired_security=None, fingerprints=_fingerprints(props))
    return ReadResult(config_id, outputs)


def update_config(
    api: PhoneApiClient,
    config_id: str,
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    *,
    known: KnownConfigs,
) -> UpdateResult:
    # Only the changed top-level fields; security and lists are whole values, so they are sent whole.
    body = {name: api_value(name, news.get(name)) for name in changed_fields(olds, news)}
    if body:
        document = api.update_config(config_id, body, append=False, label=_label(news))
        if "name" in body:  # a rename: a later create of the old name in this process must not be refused
            known.added(config_id, document)
    else:
        found = api.get_config(config_id)
        if found is None:
            raise PhoneApiError(f"update phone config {_label(news)}", 404, "the config no longer exists")
        document = found
    security = news.get("security", {})
    outputs = _outputs(api, config_id, document, desired_security=security, fingerprints=_fingerprints(olds))
    return UpdateResult(outputs)


def delete_config(api: PhoneApiClient, config_id: str, *, known: KnownConfigs) -> None:
    api.delete_config(config_id)  # already gone (404) counts as deleted
    known.removed(config_id)  # a replacement of the same name, created next, must not see it
