"""The Terraform schema comes from the field table and the settings table: one edit adds a field or a setting to
every face. What goes on the wire is checked against OpenTofu's own protocol (write_only is field 11)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tf.gen import tfplugin_pb2 as pb

from pulumi_phonecfg.core.http.setting_keys import SETTING_KEYS
from pulumi_phonecfg.core.schema.fields import PHONE_CONFIG, RESOURCES, ResourceTable, walk
from pulumi_phonecfg.emulator.testing import RunningEmulator
from pulumi_phonecfg.terraform.mirror import EXECUTABLE, write_mirror
from pulumi_phonecfg.terraform.provider_config import PROVIDER_SCHEMA, hcl_message
from pulumi_phonecfg.terraform.schema import TfAttribute, resource_schema
from pulumi_phonecfg.terraform.values import encode

from .harness import TfProvider, messages


def attribute_at(attributes: tuple[TfAttribute, ...], path: str) -> TfAttribute:
    found = None
    for part in path.split("."):
        found = next(a for a in attributes if a.name == part)
        attributes = found.nested
    assert found is not None
    return found


@pytest.mark.parametrize("table", RESOURCES, ids=lambda t: t.name)
def test_every_field_of_the_table_is_an_attribute_of_its_name(table: ResourceTable) -> None:
    schema = resource_schema(table)
    for path, field in walk(table.inputs + table.outputs):
        attribute = attribute_at(schema.attributes, path)
        assert attribute.description.startswith(field.description[:10]), path
        assert attribute.write_only == field.write_only, path
        assert attribute.sensitive or not field.write_only, path
        if field.list:
            assert attribute.nesting in ("set", "list"), path


def test_credentials_are_write_only_on_the_wire() -> None:
    security = resource_schema(PHONE_CONFIG).attribute("security").to_pb()
    credentials = {a.name: a for a in security.nested_type.attributes}
    for name in ("password", "api_key", "client_secret"):
        wire = credentials[name].SerializeToString()
        # Field 11, varint 1: `bool write_only = 11;` of tfplugin6.proto (OpenTofu >= 1.11 reads it).
        assert bytes([11 << 3, 1]) in wire, name
        assert credentials[name].sensitive
    assert bytes([11 << 3, 1]) not in credentials["username"].SerializeToString()


def test_a_kind_change_replaces_and_defaults_are_computed() -> None:
    schema = resource_schema(PHONE_CONFIG)
    assert schema.attribute("service_provider").replaces
    assert schema.attribute("put_caller_on_hold_on_transfer").computed
    assert not schema.attribute("phone_numbers").computed  # undeclared: not this configuration's list
    assert schema.attribute("security_fingerprints").output_only


def test_the_provider_block_is_the_settings_table() -> None:
    names = [a.name for a in PROVIDER_SCHEMA.attributes]
    assert names == [key.snake_name for key in SETTING_KEYS if not key.pulumi_only]
    assert "provider_threads" not in names
    secret = {a.name for a in PROVIDER_SCHEMA.attributes if a.sensitive}
    assert secret == {"api_key", "token"}
    assert isinstance(PROVIDER_SCHEMA.to_pb(), pb.Schema)
    assert hcl_message("phonecfg:maxRetries must be a whole number") == "max_retries must be a whole number"


def test_an_unknown_agent_is_one_line(phone_api: RunningEmulator) -> None:
    provider = TfProvider(phone_api)
    request = pb.ReadDataSource.Request(
        type_name="phonecfg_agent", config=encode({"name": "nobody", "environment": None})
    )
    found = messages(provider.servicer.ReadDataSource(request, None).diagnostics)
    assert len(found) == 1 and "nobody" in found[0] and "\n" not in found[0]
    request = pb.ReadDataSource.Request(
        type_name="phonecfg_agent", config=encode({"name": "customer-care", "environment": None})
    )
    response = provider.servicer.ReadDataSource(request, None)
    assert not response.diagnostics


def test_the_mirror_links_the_installed_provider(tmp_path: Path) -> None:
    executable = tmp_path / EXECUTABLE
    executable.write_text("#!/bin/sh\n")
    os.chmod(executable, 0o755)
    config = write_mirror(tmp_path / "mirror", executable)
    links = sorted((tmp_path / "mirror").rglob(EXECUTABLE))
    assert [link.relative_to(tmp_path / "mirror").parts[:3] for link in links] == [
        ("registry.opentofu.org", "phonecfg", "phonecfg"),
        ("registry.terraform.io", "phonecfg", "phonecfg"),
    ]
    assert all(link.resolve() == executable for link in links)
    assert f'path    = "{tmp_path / "mirror"}"' in config.read_text()
