"""The name match create uses before it POSTs (the adoption default setting: test_settings.py)."""

from __future__ import annotations

import pytest

from pulumi_phonecfg.core.lifecycle.known_configs import KnownConfigs, config_key, same_configs
from pulumi_phonecfg.core.lifecycle.phone_config import check_inputs


def test_the_name_matches_stripped_and_only_for_the_same_kind() -> None:
    configs = [
        {"id": "1", "name": " Support ", "service_provider": "sip_trunk"},
        {"id": "2", "name": "Support", "service_provider": "genesys_audio_connector"},
        {"id": "3", "name": "Support"},  # no kind: the server default, sip_trunk
        {"id": "4", "name": "support"},  # names are case-sensitive
        {"name": "Support"},  # no id: nothing that could be adopted
    ]
    known = KnownConfigs(lambda: configs)
    assert known.ids({"name": "Support", "service_provider": "sip_trunk"}) == ["1", "3"]
    assert known.ids({"name": " Support", "service_provider": "genesys_audio_connector"}) == ["2"]
    assert known.ids({"name": "Sales", "service_provider": "sip_trunk"}) == []


def test_the_same_config_is_one_definition_for_the_index_and_a_listing() -> None:
    """Declared inputs (unchecked: name unstripped, kind left to the server) and listed documents, by `config_key`."""
    declared = {"name": " Support ", "security": {}}
    assert config_key(declared) == ("Support", "sip_trunk")
    listing = [
        {"id": "1", "name": "Support", "service_provider": "sip_trunk"},
        {"id": "2", "name": "Support", "service_provider": "genesys_audio_connector"},
        {"id": "3", "name": "Support "},
    ]
    assert [c["id"] for c in same_configs(listing, declared)] == ["1", "3"]
    known = KnownConfigs(lambda: listing)
    assert known.ids(declared) == ["1", "3"]
    known.added("4", declared)
    assert known.ids({"name": "Support"}) == ["1", "3", "4"]


def test_the_tenant_is_listed_once_and_the_index_follows_what_the_process_does() -> None:
    lists: list[int] = []

    def list_configs() -> list[dict[str, str]]:
        lists.append(1)
        return [{"id": "1", "name": "Support"}, {"id": "2", "name": "Sales"}]

    known = KnownConfigs(list_configs)
    known.added(
        "0", {"name": "Before", "service_provider": "sip_trunk"}
    )  # before the first list: the list will show what the server holds
    assert known.ids({"name": "Before", "service_provider": "sip_trunk"}) == []
    assert known.ids({"name": "Support", "service_provider": "sip_trunk"}) == ["1"]
    known.added("3", {"name": "Support", "service_provider": "sip_trunk"})  # created by this process
    known.removed("1")  # deleted by this process (a replacement of the same name comes next)
    known.added("2", {"name": "Renamed", "service_provider": "sip_trunk"})  # an update renamed it
    assert known.ids({"name": "Support", "service_provider": "sip_trunk"}) == ["3"]
    assert known.ids({"name": "Sales", "service_provider": "sip_trunk"}) == []
    assert known.ids({"name": "Renamed", "service_provider": "sip_trunk"}) == ["2"]
    assert len(lists) == 1


def test_a_failed_list_is_not_remembered() -> None:
    calls: list[int] = []

    def list_configs() -> list[dict[str, str]]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("listing failed")
        return [{"id": "1", "name": "Support"}]

    known = KnownConfigs(list_configs)
    with pytest.raises(RuntimeError):
        known.ids({"name": "Support", "service_provider": "sip_trunk"})
    assert known.ids({"name": "Support", "service_provider": "sip_trunk"}) == ["1"]


def test_check_keeps_adopt_existing_beside_the_config_fields() -> None:
    checked = check_inputs({"name": "n", "adopt_existing": True})
    assert checked.failures == [] and checked.inputs is not None
    assert checked.inputs["adopt_existing"] is True and checked.inputs["name"] == "n"
    unset = check_inputs({"name": "n"})
    assert unset.inputs is not None and "adopt_existing" not in unset.inputs
    failed = check_inputs({"name": "", "adopt_existing": 1.0})
    assert {f.property for f in failed.failures or []} == {"name", "adopt_existing"}
