"""The generated reference pages (`docs/reference/*.md`): current, complete, and naming what the SDKs really have.

Fails when a page is stale (run `make docs`), when a field of the table is missing from its page, or when a name the
page gives for a language is not the one that language's SDK (checked in under sdk/) or the dynamic classes use.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path

import pytest

from pulumi_phonecfg import dynamic
from pulumi_phonecfg.commands import reference_docs
from pulumi_phonecfg.commands.reference_docs import LANGUAGES, Row, property_names
from pulumi_phonecfg.core.http.setting_keys import SETTING_KEYS
from pulumi_phonecfg.core.schema import models
from pulumi_phonecfg.core.schema.case import to_camel
from pulumi_phonecfg.core.schema.fields import PHONE_CONFIG, RESOURCES, TYPES, Field, ResourceTable, walk
from pulumi_phonecfg.dynamic import resources
from pulumi_phonecfg.terraform.schema import TfAttribute, resource_schema

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "docs" / "reference"
SDK = REPO / "sdk"


def sdk_text(directory: str, suffix: str) -> str:
    return "\n".join(path.read_text() for path in sorted((SDK / directory).rglob(f"*{suffix}")))


GO = sdk_text("go/phonecfg", ".go")
TYPESCRIPT = sdk_text("nodejs", ".ts")
PYTHON_NATIVE = sdk_text("python/pulumi_phonecfg_native", ".py")
TS_MEMBER = r"(declare public (/\*out\*/ )?readonly )?"  # a resource's output; args and types have none


def rows(table: ResourceTable) -> list[Row]:
    return [*reference_docs._walk(table.inputs, inputs=True), *reference_docs._walk(table.outputs, inputs=False)]


def dynamic_names(table: ResourceTable) -> set[str]:
    """Every property name a dynamic program writes or reads for `table`: keyword arguments, output attributes and
    the fields of the args classes of its nested values."""
    resource = getattr(resources, table.name)
    names = set(inspect.signature(resource.__init__).parameters)
    names |= {name for cls in resource.__mro__ for name in vars(cls).get("__annotations__", {})}
    for type_name in vars(resources):
        cls = getattr(resources, type_name)
        if type_name.endswith("Args") and dataclasses.is_dataclass(cls):
            names |= {f.name for f in dataclasses.fields(cls)}
    return names


def leaf(name: str) -> str:
    """The last segment of a rendered path: `Security.SecureTrunking` -> `SecureTrunking`."""
    return name.strip("`").split(".")[-1].removesuffix("[]")


def test_the_checked_in_pages_are_current() -> None:
    for name, text in reference_docs.pages().items():
        path = REFERENCE / name
        assert path.exists() and path.read_text() == text, f"docs/reference/{name} is stale: run `make docs`"
    installation = REPO / "docs" / reference_docs.INSTALLATION_PAGE
    assert installation.read_text() == reference_docs.with_config_keys(installation.read_text()), "run `make docs`"
    generated = {path.name for path in REFERENCE.glob("*.md")}
    assert generated == set(reference_docs.pages()), "a page no longer generated is still checked in"


def test_a_stale_page_is_rewritten_and_a_dropped_one_removed(tmp_path: Path) -> None:
    (tmp_path / "phone-config.md").write_text("old\n")
    (tmp_path / "gone.md").write_text(reference_docs.GENERATED_NOTE + "\n")
    (tmp_path / "guide.md").write_text("# Not generated\n")
    reference_docs.write(tmp_path)
    assert (tmp_path / "phone-config.md").read_text() == reference_docs.pages()["phone-config.md"]
    assert not (tmp_path / "gone.md").exists() and (tmp_path / "guide.md").exists()


@pytest.mark.parametrize("table", RESOURCES, ids=lambda t: t.name)
def test_every_field_of_the_table_is_on_its_page_in_every_language(table: ResourceTable) -> None:
    """Each field and nested field (the table's own walk): a row of the property tables and one of the names."""
    page = reference_docs.pages()[reference_docs.PAGE_FILES[table.name]]
    for path, _ in walk(table.inputs + table.outputs):
        camel = r"(?:\[\])?\.".join(re.escape(to_camel(part)) for part in path.split("."))
        found = re.findall(rf"^\| `{camel}` \|(.*)$", page, re.M)
        assert len(found) >= 2, (path, found)  # its property row, and its names (and maybe its object type's row)
        assert any(cell.count("`") == 2 * len(LANGUAGES) for cell in found), (path, found)


def test_a_new_field_reaches_its_page_in_every_language() -> None:
    """One more input in the table: its row, its rule, its names in each language, with no edit of the generator."""
    fax = Field("fax_number", "string", "A fax line.", rule="e164", max_length=16, replaces=True)
    page = reference_docs.resource_page(dataclasses.replace(PHONE_CONFIG, inputs=(*PHONE_CONFIG.inputs, fax)))
    row = next(line for line in page.splitlines() if line.startswith("| `faxNumber` |"))
    assert "E.164" in row and "at most 16 characters" in row and "| replace |" in row
    assert "| `faxNumber` | `fax_number` | `fax_number` | `faxNumber` | `FaxNumber` | `faxNumber` |" in page


@pytest.mark.parametrize("table", RESOURCES, ids=lambda t: t.name)
def test_the_names_given_are_the_sdks_and_the_dynamic_classes(table: ResourceTable) -> None:
    dynamic_known = dynamic_names(table)
    output_paths = {row.path for row in reference_docs._walk(table.outputs, inputs=False)}
    for row in rows(table):
        python_dynamic, python_native, typescript, go, yaml, hcl = (leaf(name) for name in property_names(row.path))
        camel = to_camel(row.field.name)
        # A nested output of the dynamic provider is a dict key, the API's name: the generator's column says so.
        nested_output = row.path in output_paths and len(row.path) > 1
        assert nested_output or python_dynamic in dynamic_known, (row.path, python_dynamic)
        assert re.search(rf"def {python_native}\(self\)", PYTHON_NATIVE), (row.path, python_native)
        assert re.search(rf"^\s+(declare public (/\*out\*/ )?readonly )?{typescript}[!?]?: ", TYPESCRIPT, re.M), (
            row.path,
            typescript,
        )
        assert re.search(rf'^\t{go}\s+\S+\s+`pulumi:"{camel}"`', GO, re.M), (row.path, go)
        assert yaml == camel
        assert hcl_attribute(table, row.path).name == hcl, (row.path, hcl)


def hcl_attribute(table: ResourceTable, path: tuple[str, ...]) -> TfAttribute:
    """The Terraform schema's attribute at an API path (`phone_numbers[]`, `phone_number`)."""
    attributes = resource_schema(table).attributes
    found = None
    for part in path:
        found = next(a for a in attributes if a.name == part.removesuffix("[]"))
        attributes = found.nested
    assert found is not None
    return found


def test_the_type_and_class_names_given_are_the_sdks() -> None:
    written = {t.name for t in reference_docs._types_used(PHONE_CONFIG.inputs, outputs=False)}
    for object_type in TYPES:
        names = reference_docs.object_type_names(object_type.name, dynamic=True, output=object_type.name not in written)
        go = names[LANGUAGES.index("Go")].strip("`")
        typescript = names[LANGUAGES.index("TypeScript")].strip("`").split(".")[-1]
        assert re.search(rf"^type {go} struct", GO, re.M), go
        assert f"export interface {typescript} " in TYPESCRIPT, typescript
        if object_type.name in written:
            assert f"class {typescript}:" in PYTHON_NATIVE and hasattr(resources, typescript), typescript
    for table in RESOURCES:
        cells = reference_docs.resource_class_names(table)
        python_args = re.search(r"\(`(\w+)`\)", cells[LANGUAGES.index("Python (native SDK)")])
        assert python_args and f"class {python_args.group(1)}:" in PYTHON_NATIVE, cells
        assert f"func New{table.name}(" in GO and f"export class {table.name} " in TYPESCRIPT
        assert hasattr(dynamic, table.name) or table.name in dir(resources)


def test_every_rule_of_the_models_has_its_text() -> None:
    assert set(reference_docs.RULE_TEXT) == set(models.RULES)


def test_every_config_key_and_its_environment_variable_is_on_the_provider_page() -> None:
    page = reference_docs.pages()["provider-configuration.md"]
    settings = (REPO / "pulumi_phonecfg" / "core" / "http" / "settings.py").read_text()
    for key in SETTING_KEYS:
        variable = reference_docs.environment_variable(key)
        assert f'"{key.name}", "{variable}"' in settings, variable
        assert f"| `phonecfg:{key.name}` |" in page and f"`{variable}`" in page


def test_the_examples_named_on_each_page_exist() -> None:
    """The Examples section (programs run by tests/e2e/test_every_resource.py) names files of the repository, on
    the page of every resource and of getAgent."""
    paths = [example.split("`")[1] for example in reference_docs.EVERY_RESOURCE_EXAMPLES]
    assert [path for path in paths if not (REPO / path).is_file()] == []
    pages = reference_docs.pages()
    row = reference_docs.examples_section()[-2]
    named = {name for name, page in reference_docs.PAGE_FILES.items() if row in pages[page]}
    assert named == {*(table.name for table in RESOURCES), "getAgent"}
