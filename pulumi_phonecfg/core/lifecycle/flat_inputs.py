"""What the flat resources (`PhoneNumber`, `AgentAttachment`: a few string fields each) share in `check` and
`diff`: each field validated on its own against the resource's pydantic inputs, the canonical form of what
validated, pydantic's errors as one-line failures naming the field, and what changed between two sets of values."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi.output import contains_unknowns
from pydantic import BaseModel, ValidationError

from pulumi_phonecfg.core.http.field_text import FieldName, FieldText
from pulumi_phonecfg.core.lifecycle.results import CheckFailure, DiffResult

# (field name, value, strict) -> the resource's inputs with that one field validated; raises ValidationError.
FieldValidator = Callable[[str, Any, bool], BaseModel]


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


@dataclass(frozen=True)
class FlatResource:
    """A flat resource's fields and how one of them is validated on its own."""

    name: str  # as messages name it: "PhoneNumber"
    fields: tuple[str, ...]
    replace_fields: frozenset[str]
    default_path: str  # the field a failure without a location is reported on
    validate: FieldValidator

    def check_fields(
        self, raw: Mapping[str, Any], *, strict: bool = False
    ) -> tuple[dict[str, Any], list[CheckFailure]]:
        """The known values validated one by one and put in canonical form (unknown ones passed through, invalid
        ones kept as given), and the failures; the rules that span fields are the caller's."""
        failures: list[CheckFailure] = []
        checked: dict[str, Any] = {}
        known = {k: v for k, v in raw.items() if not contains_unknowns(v)}
        for name, value in known.items():
            if name not in self.fields:
                failures.append(CheckFailure(name, unknown_field(self.name, self.fields)))
                continue
            try:
                field_model = self.validate(name, value, strict)
            except ValidationError as error:
                failures += failures_of(error, self.name, self.fields, self.default_path)
                checked[name] = value
                continue
            checked[name] = canonical(field_model).get(name)
        inputs = {k: v for k, v in checked.items() if v is not None}
        inputs.update({k: v for k, v in raw.items() if k not in known})
        return inputs, failures

    def canonical_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Input-shaped values in canonical form, whether or not `check` produced them; invalid ones as given (a
        comparison never refuses what check let through)."""
        result: dict[str, Any] = {}
        for name in self.fields:
            value = values.get(name)
            if value is None or value == "":
                continue
            if contains_unknowns(value):
                result[name] = value
                continue
            try:
                result[name] = canonical(self.validate(name, value, False)).get(name, value)
            except ValidationError:
                result[name] = value
        return result

    def changed_fields(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
        new_values, old_values = self.canonical_values(news), self.canonical_values(olds)
        return [
            name
            for name in self.fields
            if contains_unknowns(new_values.get(name)) or new_values.get(name) != old_values.get(name)
        ]

    def diff(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> DiffResult:
        """A change of a replace field is another resource: replaced, the old one deleted first."""
        changed = self.changed_fields(olds, news)
        replaces = [name for name in changed if name in self.replace_fields]
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=True)
