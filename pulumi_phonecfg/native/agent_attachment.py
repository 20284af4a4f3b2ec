"""`phonecfg:index:AgentAttachment`: the engine's calls, translated at the boundary to the attachment lifecycle.

Every decision (validation and canonical form, what a change is, the read-modify-write of the config's
`attached_environments` under the config's lock, adoption of a pair already there) is made by
`core/lifecycle/agent_attachment.py`, the functions the dynamic `AgentAttachment` uses; here the program's camelCase
names (`configId`, `agentId`, `environmentId`, `agentName`, `environmentName`; outputs `connectorId`,
`audioConnectUri`) become the API's snake_case on the way in and back on the way out, and what only a native
provider has is added: the detailed diff, and the inputs of an import, whose id
(`<configId>/<agentId>/<environmentId>`) is checked before the read.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Final

from pulumi.output import Unknown

from pulumi_phonecfg.core.http.client import PhoneApiClient
from pulumi_phonecfg.core.lifecycle.agent_attachment import (
    ATTACHMENT_FIELDS,
    ATTACHMENT_REPLACE_FIELDS,
    changed_attachment_fields,
    check_attachment,
    create_attachment,
    delete_attachment,
    read_attachment,
    update_attachment,
)
from pulumi_phonecfg.core.lifecycle.config_locks import ConfigLocks
from pulumi_phonecfg.core.schema.case import to_camel
from pulumi_phonecfg.core.schema.fields import AGENT_ATTACHMENT
from pulumi_phonecfg.core.schema.integration import connector_id
from pulumi_phonecfg.native.flat import flat_diff
from pulumi_phonecfg.native.names import InputShape, keys_to_api, keys_to_program
from pulumi_phonecfg.native.phone_config import Checked, Created, Diff, Read, checked_by

TOKEN: Final = "phonecfg:index:AgentAttachment"
# What a program declares, in its spelling (the outputs are the provider's own: not inputs of an import).
PROGRAM_INPUTS: Final = frozenset(to_camel(name) for name in ATTACHMENT_FIELDS)


@functools.cache
def input_shape() -> InputShape:
    """What a program may write on an AgentAttachment: flat strings, from the field table."""
    return InputShape({f.name: None for f in AGENT_ATTACHMENT.inputs})


def check(news: Mapping[str, Any]) -> Checked:
    return checked_by(check_attachment, news, input_shape())


def diff(olds: Mapping[str, Any], news: Mapping[str, Any]) -> Diff:
    """A new config, agent or environment replaces (detached first, the engine told deleteBeforeReplace); a new
    label is an update in place."""
    return flat_diff(changed_attachment_fields, ATTACHMENT_REPLACE_FIELDS, olds, news)


def create(api: PhoneApiClient, locks: ConfigLocks, inputs: Mapping[str, Any]) -> Created:
    result = create_attachment(api, locks, keys_to_api(inputs))
    return Created(str(result.id), keys_to_program(result.outs or {}), result.adopted)


def read(api: PhoneApiClient, id_: str, outputs: Mapping[str, Any], inputs: Mapping[str, Any]) -> Read:
    """Refresh (prior outputs given) or import (the id only: checked before any request, in the program's
    spelling). One GET of the config either way; the pair gone: `Read("")`, dropped from the state."""
    result = read_attachment(api, id_, keys_to_api(outputs))
    if not result.id:
        return Read("", {}, None)
    read_outputs = keys_to_program(result.outs or {})
    # An import has no inputs yet: the pair as read is what a program declares (without the derived outputs).
    imported = {k: v for k, v in read_outputs.items() if k in PROGRAM_INPUTS}
    return Read(str(result.id), read_outputs, None if inputs else imported)


def update(
    api: PhoneApiClient, locks: ConfigLocks, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
) -> dict[str, Any]:
    result = update_attachment(api, locks, id_, keys_to_api(olds), keys_to_api(news))
    return dict(keys_to_program(result.outs or {}))


def delete(api: PhoneApiClient, locks: ConfigLocks, id_: str, outputs: Mapping[str, Any]) -> None:
    delete_attachment(api, locks, id_, keys_to_api(outputs))


def planned_create(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """What a create will return, for a preview: the inputs, the connector id when the ids are known (it is
    derived from them), and the Audio Connector URI unknown (it needs the config's tenant)."""
    values = keys_to_api(inputs)
    ids = [values.get(name) for name in ("agent_id", "environment_id", "config_id")]
    known = all(isinstance(value, str) and value for value in ids)
    planned = {
        **values,
        "connector_id": connector_id(*(str(value) for value in ids)) if known else _unknown(),
        "audio_connect_uri": _unknown(),
    }
    return dict(keys_to_program(planned))


def planned_update(olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
    """What an update (new labels) will return, for a preview: the prior outputs with the new inputs laid over; a
    label the program removed is gone."""
    derived = {k: v for k, v in olds.items() if k not in PROGRAM_INPUTS}
    return {**derived, **news}


def _unknown() -> Unknown:
    return Unknown()  # type: ignore[no-untyped-call]  # the SDK's constructor has no annotations
