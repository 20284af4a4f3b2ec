"""The PhoneNumber lifecycle as plain functions of (API client, properties): one number of a SIP trunk, written
through the API's numbers sub-resource, so several stacks can each own numbers of one trunk.

`dynamic/providers.py` and `native/phone_number.py` wire each face's calls to these functions, as for PhoneConfig.
What each call sends (the API's endpoints E3, E7-E9, docs/wxo-phone-api.md §1.6):

* check: nothing. The number (E.164, `models.normalize_e164`), the UUIDs and the agent/environment pair are
  validated and put in canonical form, each error naming its field.
* create: one `POST .../{config_id}/numbers`. Only if the API refuses it (a number already on the trunk is a
  conflict) or may not have taken it (a 5xx, no answer) is the trunk read (`GET .../{config_id}`): a number
  already there with the same routing is adopted (one PATCH if only its description differs), one routed
  elsewhere is refused naming where, a Genesys config gets one line saying only SIP trunks have numbers.
* update: one `PATCH .../{config_id}/numbers/{number}`; a new `phone_number` renames the number in place, never
  delete + create (a released number may be gone for good). A 404 is explained by one GET of the trunk (the
  number gone out of band, or still there and the path misread) and is always an error, never a re-create.
* read (refresh): one `GET .../{config_id}`; a number (or trunk) gone out of band leaves the state.
* delete: one `DELETE .../{config_id}/numbers/{number}`. A 404 counts as deleted only when one GET of the trunk
  confirms the number is not on it (or the trunk is gone); still there is an error.

Paths carry the number percent-encoded (`%2B1...`, `PhoneApiClient._config_url`): `%2B` is `+` whether the server
percent-decodes or form-decodes the path, where a raw `+` would read as a space under form decoding.

The resource id is `<config_id>/<phone_number>` as created. Pulumi never changes an id on update, so after a
rename the id still names the original number: every call addresses the number by the `config_id` and
`phone_number` of its properties, never by parsing the id (except as a fallback when they are missing).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from pydantic import BaseModel

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.errors import ConfigConflictError, InvalidIdError, PhoneApiError
from pulumi_phonecfg.core.http.field_text import FieldName, FieldText
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
from pulumi_phonecfg.core.schema.models import ROUTING_TOGETHER, SIP_TRUNK, PhoneNumberInputs, validation_context

PROVIDER_KEY: Final = "__provider"
NUMBER_FIELDS: Final = ("config_id", "phone_number", "description", "agent_id", "environment_id")
ROUTING_FIELDS: Final = ("agent_id", "environment_id")
# A change of the trunk moves the number: a replace (delete from the old trunk first, see resource.PhoneNumber).
NUMBER_REPLACE_FIELDS: Final = frozenset({"config_id"})


# --------------------------------------------------------------------------------------------------------------
# check: validation and canonical form, before any HTTP request


def number_id(config_id: str, phone_number: str) -> str:
    return f"{config_id}/{phone_number}"


def _validated(name: str, value: Any, strict_numbers: bool = False) -> BaseModel:
    """One field validated on its own (the others stand in with valid placeholders)."""
    placeholders = {"config_id": "00000000-0000-4000-8000-000000000000", "phone_number": "+14155550100"}
    context = validation_context(strict_numbers=strict_numbers)
    return PhoneNumberInputs.model_validate({**placeholders, name: value}, context=context)


NUMBER: Final = FlatResource("PhoneNumber", NUMBER_FIELDS, NUMBER_REPLACE_FIELDS, "phone_number", _validated)


def check_number(news: Mapping[str, Any], *, strict_numbers: bool = False) -> CheckResult:
    """Validate and canonicalise the declared number. Unknown values (a preview before the trunk exists) pass
    through; what is known is still checked, so a bad number fails the preview. `strict_numbers`:
    `phonecfg:strictPhoneNumbers` (numbers the installed metadata calls invalid are refused)."""
    raw = {k: v for k, v in news.items() if k != PROVIDER_KEY and v is not None}
    inputs, failures = NUMBER.check_fields(raw, strict=strict_numbers)
    for name in ("config_id", "phone_number"):
        if name not in raw:
            failures.append(CheckFailure(name, "is required"))
    if ("agent_id" in raw) != ("environment_id" in raw):
        failures.append(CheckFailure("agent_id", ROUTING_TOGETHER))
    return CheckResult(inputs, failures)


# --------------------------------------------------------------------------------------------------------------
# diff: no HTTP


def changed_number_fields(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    return NUMBER.changed_fields(olds, news)


def diff_number(olds: Mapping[str, Any], news: Mapping[str, Any]) -> DiffResult:
    return NUMBER.diff(olds, news)


# --------------------------------------------------------------------------------------------------------------
# create / read / update / delete


def _item(number: Mapping[str, Any]) -> dict[str, Any]:
    """A number item in canonical form, exactly as an inline `phone_numbers` item: known keys only, "" and None
    dropped, UUIDs lower-case."""
    return canonical_item("phone_numbers", number)


def _outputs(config_id: str, item: Mapping[str, Any]) -> dict[str, Any]:
    return {"config_id": config_id, **_item(item)}


def _answered(response: Mapping[str, Any], sent: Mapping[str, Any]) -> Mapping[str, Any]:
    # E7/E8 answer "a dict" (reference §1.6; the emulator: the number object). Anything else: what was sent.
    return response if response.get("phone_number") == sent.get("phone_number") else sent


def _routing(item: Mapping[str, Any]) -> tuple[Any, Any]:
    canonical = _item(item)
    return canonical.get("agent_id"), canonical.get("environment_id")


def _describe_routing(item: Mapping[str, Any]) -> str:
    agent, environment = _routing(item)
    if agent is None and environment is None:
        return "routed to no agent"
    return f"routed to agent {agent}, environment {environment}"


# The number part of an id as `number_id` makes it: E.164 as `normalize_e164` writes it.
ID_NUMBER_RE: Final = re.compile(r"\+[1-9][0-9]{1,14}")
MAX_SHOWN_ID_CHARS: Final = 80


def _address(props: Mapping[str, Any], id_: str = "") -> tuple[str, str]:
    """(config_id, phone_number) of the number as it is now: from the properties, else from the id.

    An id alone (`pulumi import`) is taken as the user typed it: its number must be E.164, or the id is refused
    before any request (the config id is the client's to check: `PhoneApiClient._config_url`).
    """
    config_id, number = props.get("config_id"), props.get("phone_number")
    if isinstance(config_id, str) and isinstance(number, str) and config_id and number:
        return config_id, number
    head, _, tail = id_.partition("/")
    if not ID_NUMBER_RE.fullmatch(tail):
        shown = id_ if len(id_) <= MAX_SHOWN_ID_CHARS else id_[:MAX_SHOWN_ID_CHARS] + "..."
        raise InvalidIdError(
            f"id {shown!r} is not a phone number id (<phone config id>/<E.164 number>): refused before any request"
        )
    return head, tail


def _trunk(api: PhoneApiClient, config_id: str, operation: str) -> Mapping[str, Any]:
    document = api.get_config(config_id)
    if document is None:
        raise PhoneApiError(operation, 404, f"there is no phone config {config_id}")
    kind = config_kind(document)
    if kind != SIP_TRUNK:
        raise ConfigConflictError(
            f"{operation} failed: phone config {config_name(document)!r} ({config_id}) is a {kind} config; "
            "only sip_trunk configs have phone numbers"
        )
    return document


def create_number(api: PhoneApiClient, props: Mapping[str, Any]) -> CreateResult:
    """Add the declared number to its trunk: one POST. Only when the API refuses it (or may not have taken it)
    is the trunk read, to adopt the number already there with the same routing, or to say why not."""
    inputs = _item(props)
    config_id, number = str(props.get("config_id", "")), str(inputs.get("phone_number", ""))
    operation = f"create phone number {number} on {config_id}"
    try:
        created = api.add_number(config_id, inputs)
    except PhoneApiError as error:
        if error.status in (401, 403, 429):  # not about this number: nothing on the trunk would explain it
            raise PhoneApiError(operation, error.status, error.detail) from None
        return _adopt_or_explain(api, config_id, inputs, operation, error)
    return CreateResult(number_id(config_id, number), _outputs(config_id, _answered(created, inputs)))


def _adopt_or_explain(
    api: PhoneApiClient, config_id: str, inputs: Mapping[str, Any], operation: str, refused: PhoneApiError
) -> CreateResult:
    """After a refused (or ambiguous) POST: the trunk says whether the number is there already, and how routed.

    Same routing: take it over (one PATCH only if the description differs). Other routing: refuse, naming where
    it goes. Not there: the API's own refusal (e.g. the number belongs to another config). Not a SIP trunk: one
    line saying only SIP trunks have numbers.
    """
    number = str(inputs.get("phone_number", ""))
    trunk = _trunk(api, config_id, operation)
    found = _find(trunk, number)
    if found is None:
        raise PhoneApiError(operation, refused.status, refused.detail) from None
    existing = _item(found)
    if _routing(existing) != _routing(inputs):
        raise ConfigConflictError(
            FieldText(
                f"{operation} failed: {number} is already on phone config {config_name(trunk)!r} ({config_id}), "
                f"{_describe_routing(existing)}; the program routes it "
                f"{_describe_routing(inputs).removeprefix('routed ')}. Whoever owns it there must remove or reroute "
                "it first (another stack, an inline ",
                FieldName("phone_numbers"),
                " list, or the console)",
            )
        )
    if existing.get("description") != inputs.get("description"):
        body = {"phone_number": number, "description": inputs.get("description")}
        existing = _item(api.update_number(config_id, number, body))
    return CreateResult(number_id(config_id, number), _outputs(config_id, existing), adopted=True)


def _find(document: Mapping[str, Any], number: str) -> Mapping[str, Any] | None:
    """The number's item in a config document, or None."""
    numbers = document.get("phone_numbers")
    items = numbers if isinstance(numbers, list) else []
    return next((n for n in items if isinstance(n, Mapping) and n.get("phone_number") == number), None)


def read_number(api: PhoneApiClient, id_: str, props: Mapping[str, Any]) -> ReadResult:
    config_id, number = _address(props, id_)
    document = api.get_config(config_id)
    found = None if document is None else _find(document, number)
    if found is None:
        return ReadResult("", {})  # the number (or its trunk) is gone: the engine drops it from the state
    return ReadResult(id_, _outputs(config_id, found))


def update_number(api: PhoneApiClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> UpdateResult:
    """One PATCH of the number at its current address: the new number (a rename) and every changed field.

    `phone_number` is always sent (the API's E8 requires it; a new value renames). A removed description or
    routing is sent as null.
    """
    config_id, current = _address(olds, id_)
    desired = _item(news)
    body: dict[str, Any] = {"phone_number": desired.get("phone_number", current)}
    for name in changed_number_fields(olds, news):
        if name in ("description", *ROUTING_FIELDS):
            body[name] = desired.get(name)
    try:
        updated = api.update_number(config_id, current, body)
    except PhoneApiError as error:
        if error.status != 404:
            raise
        raise _unexplained_404(api, config_id, current, f"update phone number {current} of {config_id}") from None
    return UpdateResult(_outputs(config_id, _answered(updated, desired)))


def delete_number(api: PhoneApiClient, id_: str, props: Mapping[str, Any]) -> None:
    """One DELETE. A 404 counts as deleted only once the trunk (one GET) confirms the number is not on it: a
    server that misreads the number in the path (a `+` read as a space) also answers 404, and leaves it there."""
    config_id, number = _address(props, id_)
    if api.delete_number(config_id, number):
        return
    document = api.get_config(config_id)
    if document is not None and _find(document, number) is not None:
        operation = f"delete phone number {number} of {config_id}"
        raise _still_there(operation, number, document, config_id, "nothing was deleted")


def _unexplained_404(api: PhoneApiClient, config_id: str, number: str, operation: str) -> PhoneApiError:
    """A 404 on a number PATCH, explained by the trunk (one GET): never answered by re-creating the number."""
    document = api.get_config(config_id)
    if document is None:
        return PhoneApiError(operation, 404, f"there is no phone config {config_id} any more")
    if _find(document, number) is None:
        return PhoneApiError(
            operation,
            404,
            f"{number} is no longer on phone config {config_name(document)!r} ({config_id}) (removed out of band); "
            "`pulumi refresh` drops it from the state and the next `up` adds the declared number",
        )
    return _still_there(operation, number, document, config_id, "nothing was changed")


def _still_there(
    operation: str, number: str, document: Mapping[str, Any], config_id: str, outcome: str
) -> PhoneApiError:
    return PhoneApiError(
        operation,
        404,
        f"not found at its path, yet {number} is still on phone config {config_name(document)!r} ({config_id}): "
        f"the server did not read the number in the path as sent; {outcome}",
    )
