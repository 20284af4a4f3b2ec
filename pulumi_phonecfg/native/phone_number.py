"""`phonecfg:index:PhoneNumber`: the engine's calls, translated at the boundary to the dynamic provider's number
lifecycle.

Every decision (validation and canonical form, what a change is, which requests to send, adoption of a number
already on the trunk) is made by `core/lifecycle/phone_number.py`, the functions the dynamic `PhoneNumber` uses;
here the program's camelCase names (`configId`, `phoneNumber`, `agentId`, `environmentId`) become the API's
snake_case on the way in and back on the way out, and what only a native provider has is added: the detailed diff
and the inputs of an import, whose id (`<configId>/<phoneNumber>`) is checked and put in canonical form before the read.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Final

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.http.errors import PhoneConfigError
from pulumi_phonecfg.core.lifecycle.phone_number import (
    NUMBER_REPLACE_FIELDS,
    changed_number_fields,
    check_number,
    create_number,
    delete_number,
    number_id,
    read_number,
    update_number,
)
from pulumi_phonecfg.core.schema.fields import PHONE_NUMBER
from pulumi_phonecfg.native.flat import flat_diff
from pulumi_phonecfg.native.names import (
    InputShape,
    keys_to_api,
    keys_to_program,
    program_path,
    program_text,
)
from pulumi_phonecfg.native.phone_config import Checked, Created, Diff, Read, checked_by

TOKEN: Final = "phonecfg:index:PhoneNumber"
IMPORT_ID_FORM: Final = "<configId>/<phoneNumber>, e.g. 0b6f.../+14155550100"


class ImportIdError(PhoneConfigError):
    """An import id that is not `<configId>/<phoneNumber>`."""


@functools.cache
def input_shape() -> InputShape:
    """What a program may write on a PhoneNumber: flat strings, from the field table."""
    return InputShape({f.name: None for f in PHONE_NUMBER.inputs})


def check(news: Mapping[str, Any], *, strict_numbers: bool) -> Checked:
    return checked_by(check_number, news, input_shape(), strict_numbers=strict_numbers)


def diff(olds: Mapping[str, Any], news: Mapping[str, Any]) -> Diff:
    """`olds`: prior outputs; `news`: checked inputs (both program names). Every field is a string, so the
    detailed diff is the changed fields themselves."""
    return flat_diff(changed_number_fields, NUMBER_REPLACE_FIELDS, olds, news)


def create(api: PhoneApiClient, inputs: Mapping[str, Any]) -> Created:
    result = create_number(api, keys_to_api(inputs))
    return Created(str(result.id), keys_to_program(result.outs or {}), result.adopted)


def read(api: PhoneApiClient, id_: str, outputs: Mapping[str, Any], inputs: Mapping[str, Any]) -> Read:
    """Refresh (prior outputs given: the number is addressed by them, also after a rename) or import (the id
    only: checked, then the number read as it is on the trunk). One GET of the trunk either way."""
    if outputs:
        result = read_number(api, id_, keys_to_api(outputs))
    else:
        id_, address = import_address(id_)
        result = read_number(api, id_, address)
    if not result.id:
        return Read("", {}, None)
    read_outputs = keys_to_program(result.outs or {})
    # An import has no inputs yet: the number as read is exactly what a program declares (no outputs of its own).
    return Read(str(result.id), read_outputs, None if inputs else dict(read_outputs))


def import_address(id_: str) -> tuple[str, dict[str, Any]]:
    """The canonical id and (configId, phoneNumber) of an import id, checked like a program's inputs (before any
    request): `pulumi import phonecfg:index:PhoneNumber line 0b6f.../+1 415 555 0100` reads `+14155550100`."""
    config_id, slash, number = id_.strip().partition("/")
    if not slash or not config_id or not number:
        raise ImportIdError(f"import of a PhoneNumber: the id {id_!r} must be {IMPORT_ID_FORM}")
    result = check_number({"config_id": config_id, "phone_number": number})
    if result.failures:
        reasons = "; ".join(f"{program_path(f.property)} {program_text(f.reason)}" for f in result.failures)
        raise ImportIdError(f"import of a PhoneNumber: the id {id_!r} must be {IMPORT_ID_FORM}: {reasons}")
    address = dict(result.inputs or {})
    return number_id(address["config_id"], address["phone_number"]), address


def update(api: PhoneApiClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
    result = update_number(api, id_, keys_to_api(olds), keys_to_api(news))
    return dict(keys_to_program(result.outs or {}))


def delete(api: PhoneApiClient, id_: str, outputs: Mapping[str, Any]) -> None:
    delete_number(api, id_, keys_to_api(outputs))
