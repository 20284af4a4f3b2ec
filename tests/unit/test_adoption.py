"""The name match create uses before it POSTs (the adoption default setting: test_settings.py)."""

from __future__ import annotations

from pulumi_phonecfg.lifecycle import check_inputs, same_name_configs


def test_the_name_matches_stripped_and_only_for_the_same_kind() -> None:
    configs = [
        {"id": "1", "name": " Support ", "service_provider": "sip_trunk"},
        {"id": "2", "name": "Support", "service_provider": "genesys_audio_connector"},
        {"id": "3", "name": "Support"},  # no kind: the server default, sip_trunk
        {"id": "4", "name": "support"},  # names are case-sensitive
        {"name": "Support"},  # no id: nothing that could be adopted
    ]
    assert [c["id"] for c in same_name_configs(configs, "Support", "sip_trunk")] == ["1", "3"]
    assert [c["id"] for c in same_name_configs(configs, "Support", "genesys_audio_connector")] == ["2"]
    assert same_name_configs(configs, "Sales", "sip_trunk") == []


def test_check_keeps_adopt_existing_beside_the_config_fields() -> None:
    checked = check_inputs({"name": "n", "adopt_existing": True})
    assert checked.failures == [] and checked.inputs is not None
    assert checked.inputs["adopt_existing"] is True and checked.inputs["name"] == "n"
    unset = check_inputs({"name": "n"})
    assert unset.inputs is not None and "adopt_existing" not in unset.inputs
    failed = check_inputs({"name": "", "adopt_existing": 1.0})
    assert {f.property for f in failed.failures or []} == {"name", "adopt_existing"}
