"""Renders `phone_config_args.py`, the typed surface of the dynamic `PhoneConfig`, from the field table.

Type checkers and IDEs see only what is written in a module, so the args classes, the keyword arguments and the
output attributes are generated code, checked in: `make schema` writes the module (beside `schema.json`), and
`tests/core/schema/test_field_table.py` fails when it is stale. What the resource does with its arguments stays code in
`resources.py`, which the generated class hands them to (`PhoneConfigSurface._declare`).

`python -m pulumi_phonecfg.dynamic.args_codegen` prints the module.
"""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Iterable
from typing import Final

from pulumi_phonecfg.core.schema.fields import BOTH, PHONE_CONFIG, TYPES, Field, ObjectType, ResourceTable, walk

MODULE: Final = "pulumi_phonecfg/dynamic/phone_config_args.py"
_PYTHON_TYPES: Final = {"string": "str", "boolean": "bool", "integer": "int", "number": "float"}
_WIDTH: Final = 120


def args_class_name(type_name: str) -> str:
    return f"{type_name}Args"


def _docstring(text: str, indent: str, *, details: Iterable[tuple[str, str]] = ()) -> list[str]:
    """`text` as a docstring at `indent`, wrapped at the line length; `details` as an `Args:` section."""
    lines = textwrap.wrap(_plain(text), _WIDTH - 3, initial_indent=f'{indent}"""', subsequent_indent=indent)
    items = list(details)
    if items:
        lines += ["", f"{indent}Args:"]
        for name, description in items:
            first, rest = f"{indent}    {name}: ", f"{indent}        "
            lines += textwrap.wrap(_plain(description), _WIDTH, initial_indent=first, subsequent_indent=rest)
    if items or len(lines[-1]) + 3 > _WIDTH:
        return [*lines, f'{indent}"""']
    return [*lines[:-1], f'{lines[-1]}"""']


def _plain(text: str) -> str:
    """Text that cannot end a docstring early."""
    return text.replace('"', "'")


def _input_type(f: Field, types: dict[str, ObjectType]) -> str:
    """The Python annotation of an argument (or args field) `f`, without its optionality."""
    if f.type in types:
        element = f"{args_class_name(f.type)} | Mapping[str, Any]"
        if f.list:
            return f"Sequence[{element}]"
        return f"{args_class_name(f.type)} | pulumi.Input[Mapping[str, Any]]"
    primitive = f"pulumi.Input[{_PYTHON_TYPES[f.type]}]"
    return f"Sequence[{primitive}]" if f.list else primitive


def _output_type(f: Field, types: dict[str, ObjectType], *, always: bool) -> str:
    type_name = f.output_type or f.type
    value = "dict[str, Any]" if type_name in types else _PYTHON_TYPES[type_name]
    if f.list:
        value = f"list[{value}]"
    return f"pulumi.Output[{value}]" if always else f"pulumi.Output[{value} | None]"


def _always_output(f: Field, table: ResourceTable) -> bool:
    """Whether every config has this output: a field of both kinds that is required, has a default, has an output
    form of its own (`security`: plain fields and fingerprints, always written), or that the server writes."""
    if f.kinds != BOTH or f.derived:
        return False
    return f.required or f.default is not None or bool(f.output_type) or f in table.outputs


def _argument(f: Field, types: dict[str, ObjectType], indent: str) -> str:
    annotation = _input_type(f, types)
    if f.required:
        return f"{indent}{f.name}: {annotation}"
    default = f.default if f.kinds == BOTH else None
    if default is None:
        return f"{indent}{f.name}: {annotation} | None = None"
    value = json.dumps(default) if isinstance(default, str) else repr(default)
    return f"{indent}{f.name}: {annotation} = {value}"


def _args_class(t: ObjectType, types: dict[str, ObjectType]) -> list[str]:
    lines = ["@dataclasses.dataclass", f"class {args_class_name(t.name)}:", *_docstring(t.description, "    "), ""]
    optional_seen = False
    for f in t.fields:
        if f.required and optional_seen:
            raise ValueError(f"{t.name}.{f.name}: a required field after an optional one (reorder the table)")
        optional_seen = optional_seen or not f.required
        lines.append(_argument(f, types, "    "))
        lines += _docstring(f.description, "    ")
    return lines


def input_types(table: ResourceTable, types: Iterable[ObjectType]) -> list[ObjectType]:
    """The object types a program writes in `table`'s inputs, in the table's order."""
    used = {f.type for _path, f in walk(table.inputs)}
    return [t for t in types if t.name in used]


def render(table: ResourceTable = PHONE_CONFIG, types: Iterable[ObjectType] = TYPES) -> str:
    """The source of the module: one args class per object type of the inputs, and the resource's surface."""
    all_types = list(types)
    by_name = {t.name: t for t in all_types}
    name = table.name
    out = [
        f'"""The typed surface of the dynamic `{name}`: its args classes, keyword arguments and output attributes.',
        "",
        "Generated from the field table (`core/schema/fields.py`) by `make schema` (`dynamic/args_codegen.py`); do not",
        "edit. `tests/core/schema/test_field_table.py` fails when it is stale. What the resource does with its",
        "arguments is `resources.py`'s: the generated `__init__` hands them, by name, to `_declare`.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import dataclasses",
        "from collections.abc import Mapping, Sequence",
        "from typing import Any",
        "",
        "import pulumi",
    ]
    for t in input_types(table, all_types):
        out += ["", "", *_args_class(t, by_name)]
    out += [
        "",
        "",
        f"class {name}Surface:",
        *_docstring(f"The keyword arguments and output attributes of `{name}` (the resource class).", "    "),
        "",
    ]
    for f in (*(f for f in table.inputs if f.sent), *table.outputs):
        out.append(f"    {f.name}: {_output_type(f, by_name, always=_always_output(f, table))}")
        out += _docstring(f.description, "    ")
    required = [f for f in table.inputs if f.required]
    optional = [f for f in table.inputs if not f.required]
    out += [
        "",
        "    def __init__(",
        "        self,",
        "        resource_name: str,",
        "        *,",
        *(_argument(f, by_name, "        ") + "," for f in (*required, *optional)),
        "        opts: pulumi.ResourceOptions | None = None,",
        "    ) -> None:",
        *_docstring(
            f"Declares one `{name}`. Nested values are the args classes of this module or plain dicts with the "
            "same (API) field names.",
            "        ",
            details=[(f.name, f.description) for f in (*required, *optional)] + [("opts", "Resource options.")],
        ),
        "        inputs: dict[str, Any] = {",
        *(f'            "{f.name}": {f.name},' for f in table.inputs),
        "        }",
        "        self._declare(resource_name, inputs, opts)",
        "",
        "    # A wrong or missing argument is reported as the resource class's own:",
        f"    # `{name}.__init__() got an unexpected keyword argument 'descripton'`.",
        f'    __init__.__qualname__ = "{name}.__init__"',
        "",
        "    def _declare(self, resource_name: str, inputs: dict[str, Any], "
        "opts: pulumi.ResourceOptions | None) -> None:",
        '        """Registers the resource (`resources.py`): `inputs` has every argument, by its field name."""',
        "        raise NotImplementedError",
    ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
