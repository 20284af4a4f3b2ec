"""What the flat resources (`PhoneNumber`, `AgentAttachment`: a few string fields each) share in `check`: one field
validated on its own against the resource's pydantic inputs, the canonical form of what validated, and pydantic's
errors as one-line failures naming the field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from pulumi_phonecfg.core.http.field_text import FieldName, FieldText
from pulumi_phonecfg.core.lifecycle.results import CheckFailure


def canonical(model: BaseModel) -> dict[str, Any]:
    """The model's fields as JSON values, unset and empty ones dropped (UUIDs lower-case, strings stripped)."""
    values = model.model_dump(mode="json", exclude_none=True)
    return {k: v for k, v in values.items() if v != ""}


def unknown_field(resource: str, names: Sequence[str], advice: str = "") -> FieldText:
    """`unknown field (<advice>PhoneNumber takes config_id, phone_number, ...)`, names in the face's spelling."""
    listed = [part for name in names for part in (", ", FieldName(name))][1:]
    return FieldText(f"unknown field ({advice}{resource} takes ", *listed, ")")


def failures_of(error: ValidationError, resource: str, names: Sequence[str], default_path: str) -> list[CheckFailure]:
    """pydantic's errors as failures: the field's path, the message without pydantic's prefix."""
    failures = []
    for item in error.errors(include_input=False, include_url=False):
        path = ".".join(str(part) for part in item["loc"]) or default_path
        message: str | FieldText = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = unknown_field(resource, names, "check the spelling; ")
        failures.append(CheckFailure(path, message))
    return failures
