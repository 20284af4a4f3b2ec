"""The AgentAttachment lifecycle as plain functions of (API client, config locks, properties): the attachment of
one agent environment to one Genesys Audio Connector config, so several stacks can each attach their agents to a
config that another stack owns.

`dynamic/providers.py` and `native/agent_attachment.py` wire each face's calls to these functions. The API has no
attach endpoint (the ADK's `orchestrate phone attach` does the same): a config's attachments are its
`attached_environments` list, written whole by `PATCH /v1/channels/phone/{config_id}?append=false` (E4,
docs/wxo-phone-api.md §1.4; `append=true` is undocumented and never relied on). So every write is a
read-modify-write of that list that adds, relabels or removes this resource's pair (`agent_id`, `environment_id`)
and copies every other pair as the GET returned it:

* check: nothing. The config id and the two UUIDs are validated and put in canonical form, each error naming its
  field.
* create (attach): `GET .../{config_id}`; a missing config or a SIP trunk fails with one line, before any write;
  the pair already there with the same labels is adopted with no write at all; else one `PATCH ?append=false`
  with the list as read plus the pair, and one verifying `GET`.
* update (labels): `GET` + `PATCH` of the list with the pair relabelled (added again if it went missing) + `GET`.
* read (refresh): one `GET`; the pair (or its config) gone leaves the state, and the next `up` attaches it again.
* delete (detach): `GET` + `PATCH` of the list without the pair + `GET`; a config gone (404) or a pair already
  gone is done with no write.

Lost updates. Two writers that each read the list and PATCH it back lose the pair of whoever PATCHed first. Here:
the writes of one provider process to one config take turns on that config's lock (`ConfigLocks`), so the
attachments of one `up` never lose each other; the GET is made right before its PATCH (inside the lock), so the
window left to other processes is one round trip. Another process whose GET came before our PATCH landed writes
its stale list back within about as long as our PATCH took: a verifying GET that long after our answer sees our
pair dropped (or a detached pair put back), and the write is made again from a fresh GET after a jittered,
doubling pause, at most `MAX_WRITES` times (tests/e2e/test_concurrent_attachments.py measures it; the figures are in
docs/guides/ownership.md). A second GET right before the PATCH comparing `updated_at` would not help: a write in
flight is invisible to every read made before it lands. What a party outside this provider can still lose is in
docs/guides/ownership.md.

The id is `<config_id>/<agent_id>/<environment_id>`; every call addresses the pair by its properties, and by the
id only when they are missing (`pulumi import`), after checking it before any request.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from typing import Any, Final

from pydantic import BaseModel

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.errors import ConfigConflictError, InvalidIdError, PhoneApiError
from pulumi_phonecfg.core.http.field_text import FieldName, FieldText
from pulumi_phonecfg.core.lifecycle.config_locks import ConfigLocks
from pulumi_phonecfg.core.lifecycle.flat_inputs import FlatResource
from pulumi_phonecfg.core.lifecycle.results import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)
from pulumi_phonecfg.core.schema.api_documents import config_kind, config_name
from pulumi_phonecfg.core.schema.canonical import canonical_item
from pulumi_phonecfg.core.schema.fields import AGENT_ATTACHMENT
from pulumi_phonecfg.core.schema.integration import audio_connect_uri, connector_id
from pulumi_phonecfg.core.schema.models import GENESYS, AgentAttachmentInputs

PROVIDER_KEY: Final = "__provider"
LIST_FIELD: Final = "attached_environments"
ATTACHMENT_FIELDS: Final = tuple(f.name for f in AGENT_ATTACHMENT.inputs)
REQUIRED_FIELDS: Final = tuple(f.name for f in AGENT_ATTACHMENT.inputs if f.required)
# A change of these is another pair (or another config): a replace, the old pair detached first.
ATTACHMENT_REPLACE_FIELDS: Final = frozenset(f.name for f in AGENT_ATTACHMENT.inputs if f.replaces)
LABEL_FIELDS: Final = tuple(f.name for f in AGENT_ATTACHMENT.inputs if not f.replaces)
# How many times one attach, relabel or detach is written when other writers keep undoing it: enough for three
# stacks repairing at once (measured by tests/e2e/test_concurrent_attachments.py), bounded so it never loops.
MAX_WRITES: Final = 5
MAX_SHOWN_ID_CHARS: Final = 120

Pair = tuple[str, str]


# --------------------------------------------------------------------------------------------------------------
# check: validation and canonical form, before any HTTP request


def attachment_id(config_id: str, agent_id: str, environment_id: str) -> str:
    return f"{config_id}/{agent_id}/{environment_id}"


def _validated(name: str, value: Any, _strict: bool = False) -> BaseModel:
    """One field validated on its own (the required others stand in with valid placeholders)."""
    placeholder = "00000000-0000-4000-8000-000000000000"
    return AgentAttachmentInputs.model_validate({**dict.fromkeys(REQUIRED_FIELDS, placeholder), name: value})


ATTACHMENT: Final = FlatResource(
    "AgentAttachment", ATTACHMENT_FIELDS, ATTACHMENT_REPLACE_FIELDS, "config_id", _validated
)


def check_attachment(news: Mapping[str, Any]) -> CheckResult:
    """Validate and canonicalise the declared attachment. Unknown values (a preview before the config exists) pass
    through; what is known is still checked, so a bad id fails the preview."""
    raw = {k: v for k, v in news.items() if k != PROVIDER_KEY and v is not None}
    inputs, failures = ATTACHMENT.check_fields(raw)
    failures += [CheckFailure(name, "is required") for name in REQUIRED_FIELDS if name not in raw]
    return CheckResult(inputs, failures)


# --------------------------------------------------------------------------------------------------------------
# diff: no HTTP


def changed_attachment_fields(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    return ATTACHMENT.changed_fields(olds, news)


def diff_attachment(olds: Mapping[str, Any], news: Mapping[str, Any]) -> DiffResult:
    return ATTACHMENT.diff(olds, news)


# --------------------------------------------------------------------------------------------------------------
# The pair, its address and the config's list


def _item(values: Mapping[str, Any]) -> dict[str, Any]:
    """An attachment in canonical form, exactly as an inline `attached_environments` item: known keys only, ""
    and None dropped, UUIDs lower-case."""
    return canonical_item(LIST_FIELD, values)


def _pair(item: Mapping[str, Any]) -> Pair:
    return str(item.get("agent_id", "")).lower(), str(item.get("environment_id", "")).lower()


def _address(props: Mapping[str, Any], id_: str = "") -> tuple[str, Pair]:
    """(config_id, pair) of the attachment: from the properties, else from the id (`pulumi import`), which must be
    `<config id>/<agent id>/<environment id>` with three UUIDs, or it is refused before any request."""
    if all(isinstance(props.get(name), str) and props.get(name) for name in REQUIRED_FIELDS):
        return str(props["config_id"]), _pair(props)
    return parse_attachment_id(id_)


def parse_attachment_id(id_: str) -> tuple[str, Pair]:
    """(config_id, pair) of an id typed by a user (`pulumi import`), checked like a program's inputs; refused in
    one line naming the parts, before any request."""
    parts = id_.strip().split("/")
    result = check_attachment(dict(zip(REQUIRED_FIELDS, parts, strict=False))) if len(parts) == 3 else None
    if result is None or result.failures:
        shown = id_ if len(id_) <= MAX_SHOWN_ID_CHARS else id_[:MAX_SHOWN_ID_CHARS] + "..."
        form = [part for name in REQUIRED_FIELDS for part in ("/", FieldName(name))][1:]
        why: list[str | FieldName] = []
        for failure in [] if result is None else result.failures:
            why += ["; " if why else ": ", FieldName(failure.property), f" {failure.reason}"]
        raise InvalidIdError(
            FieldText(
                f"id {shown!r} is not an agent attachment id (",
                *form,
                ", three UUIDs)",
                *why,
                ": refused before any request",
            )
        )
    return str(result.inputs["config_id"]), _pair(result.inputs)


def _attachments(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The config's list, each item with the keys the API takes back (what the GET returned, nothing added)."""
    items = document.get(LIST_FIELD)
    return [_item(item) for item in items if isinstance(item, Mapping)] if isinstance(items, list) else []


def _find(items: list[dict[str, Any]], pair: Pair) -> dict[str, Any] | None:
    return next((item for item in items if _pair(item) == pair), None)


def _outputs(
    api: PhoneApiClient, config_id: str, item: Mapping[str, Any], document: Mapping[str, Any]
) -> dict[str, Any]:
    """The attachment as stored, and what Genesys Cloud needs for it (as the config's `connectors` compute it)."""
    agent_id, environment_id = _pair(item)
    outputs: dict[str, Any] = {"config_id": config_id, **_item(item)}
    outputs["connector_id"] = connector_id(agent_id, environment_id, config_id)
    tenant_id = document.get("tenant_id")
    if tenant_id:
        outputs["audio_connect_uri"] = audio_connect_uri(api.instance_url, str(tenant_id))
    return outputs


def _genesys_config(api: PhoneApiClient, config_id: str, operation: str) -> dict[str, Any]:
    """The config, which must exist and be a Genesys config: one line otherwise, before any write."""
    document = api.get_config(config_id)
    if document is None:
        raise PhoneApiError(operation, 404, f"there is no phone config {config_id}")
    kind = config_kind(document)
    if kind != GENESYS:
        raise ConfigConflictError(
            f"{operation} failed: phone config {config_name(document)!r} ({config_id}) is a {kind} config; "
            f"only {GENESYS} configs have agent attachments"
        )
    return document


# --------------------------------------------------------------------------------------------------------------
# create / read / update / delete


def _patch_list(
    api: PhoneApiClient, config_id: str, items: list[dict[str, Any]], document: Mapping[str, Any], operation: str
) -> dict[str, Any] | None:
    """The whole list in one `PATCH ?append=false`: the config as the API answers, None when it is gone (404)."""
    try:
        return api.update_config(config_id, {LIST_FIELD: items}, label=config_name(document))
    except PhoneApiError as error:
        if error.status == 404:
            return None
        raise PhoneApiError(operation, error.status, error.detail) from None


def _settle_pair(
    api: PhoneApiClient,
    locks: ConfigLocks,
    config_id: str,
    wanted: dict[str, Any] | None,
    pair: Pair,
    operation: str,
) -> tuple[dict[str, Any] | None, bool]:
    """Make the config's list hold `wanted` (the pair and its labels), or not hold `pair` (`wanted` None), other
    pairs as they are: (the config as last read, None when gone; whether anything was written). Under the config's
    lock; the GET right before each PATCH, and a verifying GET after it: another party whose GET came before our
    PATCH landed (another stack) sent its stale PATCH before ours landed, so it lands about as long after that as
    ours took; the verifying GET, made that long after our answer, sees it. Our pair undone (dropped, or put back
    after a detach): written again after a random pause (up to one round trip, doubling after each undone write),
    so that writers repairing at once stop undoing each other."""

    def read() -> dict[str, Any] | None:
        if wanted is None:
            return api.get_config(config_id)
        return _genesys_config(api, config_id, operation)

    def holds(document: dict[str, Any]) -> bool:
        return _find(_attachments(document), pair) == wanted  # None: the pair is not there

    with locks.holding(config_id):
        document = read()
        for writes in range(MAX_WRITES):
            if document is None or holds(document):
                return document, writes > 0  # already so (adopted, or detached: no write), or verified
            others = [item for item in _attachments(document) if _pair(item) != pair]
            started = time.monotonic()
            if _patch_list(api, config_id, [*others, *([wanted] if wanted else [])], document, operation) is None:
                return read(), True  # the config went: the attach says so in one line, the detach is done
            # A stale PATCH sent before ours landed takes about as long as ours to land: wait that long, then verify.
            time.sleep(time.monotonic() - started)
            document = read()
            if document is None or holds(document):
                return document, True
            round_trip = time.monotonic() - started
            time.sleep(random.uniform(0, round_trip * 2**writes))
            document = read()
    undone = "removed again" if wanted else "put back"
    raise ConfigConflictError(
        f"{operation} failed: the pair was {undone} after each of {MAX_WRITES} writes (another writer); run it again"
    )


def create_attachment(api: PhoneApiClient, locks: ConfigLocks, props: Mapping[str, Any]) -> CreateResult:
    """Attach: the pair added to the config's list (other pairs kept), or adopted when already there with the same
    labels (no write)."""
    config_id, pair = _address(props)
    wanted = _item(props)
    operation = f"attach agent {pair[0]} environment {pair[1]} to phone config {config_id}"
    document, written = _settle_pair(api, locks, config_id, wanted, pair, operation)
    outputs = _outputs(api, config_id, wanted, document or {})
    return CreateResult(attachment_id(config_id, *pair), outputs, adopted=not written)


def read_attachment(api: PhoneApiClient, id_: str, props: Mapping[str, Any]) -> ReadResult:
    """One GET of the config; the pair (or the config) gone: `ReadResult("")`, the face drops it from the state."""
    config_id, pair = _address(props, id_)
    document = api.get_config(config_id)
    found = None if document is None else _find(_attachments(document), pair)
    if document is None or found is None:
        return ReadResult("", {})
    # The id in canonical form (an import id may spell the UUIDs in upper case): the one a create would make.
    return ReadResult(attachment_id(config_id, *pair), _outputs(api, config_id, found, document))


def update_attachment(
    api: PhoneApiClient, locks: ConfigLocks, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
) -> UpdateResult:
    """New labels: the pair rewritten with them (GET + PATCH + GET; added again if someone removed it meanwhile)."""
    config_id, pair = _address(olds, id_)
    wanted = {**_item(news), "agent_id": pair[0], "environment_id": pair[1]}
    operation = f"update agent attachment {attachment_id(config_id, *pair)}"
    document, _ = _settle_pair(api, locks, config_id, wanted, pair, operation)
    return UpdateResult(_outputs(api, config_id, wanted, document or {}))


def delete_attachment(api: PhoneApiClient, locks: ConfigLocks, id_: str, props: Mapping[str, Any]) -> None:
    """Detach: the list without the pair (other pairs kept). The config gone, or the pair not on it: done, no
    write."""
    config_id, pair = _address(props, id_)
    operation = f"detach agent {pair[0]} environment {pair[1]} from phone config {config_id}"
    _settle_pair(api, locks, config_id, None, pair, operation)
