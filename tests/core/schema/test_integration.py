"""Integration outputs: SIP URI per region host, Genesys Audio Connector URI and connector ids."""

from __future__ import annotations

import pytest

from pulumi_phonecfg.core.schema.integration import audio_connect_uri, integration_outputs, sip_uri, voip_host

TENANT = "sub-1_inst-1"
CONFIG = "c0ffee00-0000-4000-8000-000000000001"


@pytest.mark.parametrize(
    ("api_host", "voip"),
    [
        ("api.us-south.watson-orchestrate.cloud.ibm.com", "public.voip.us-south.watson-orchestrate.cloud.ibm.com"),
        ("api.br-sao.watson-orchestrate.cloud.ibm.com", "public.voip.br-sao.watson-orchestrate.cloud.ibm.com"),
        # Other IBM Cloud regions go to Dallas, as in the ADK.
        ("api.eu-de.watson-orchestrate.cloud.ibm.com", "public.voip.us-south.watson-orchestrate.cloud.ibm.com"),
        (
            "api.us-south.watson-orchestrate.test.cloud.ibm.com",
            "public.voip.us-south.watson-orchestrate.test.cloud.ibm.com",
        ),
        ("api.dl.watson-orchestrate.ibm.com", "public.voip.dl.watson-orchestrate.ibm.com"),
        ("api.ap-south-1.dl.watson-orchestrate.ibm.com", "public.voip.ap-south-1.dl.watson-orchestrate.ibm.com"),
        ("api.eu-central-1.dl.watson-orchestrate.ibm.com", "public.voip.eu-central-1.dl.watson-orchestrate.ibm.com"),
        ("api.preprod.dl.watson-orchestrate.ibm.com", "public.voip.preprod.dl.watson-orchestrate.ibm.com"),
        ("api.dev-wa.watson-orchestrate.ibm.com", "public.voip.dev-wa.watson-orchestrate.ibm.com"),
        ("api.dev-sbsz2.watson-orchestrate.ibm.com", "public.voip.dev-sbsz2.watson-orchestrate.ibm.com"),
        ("api.staging-wa.watson-orchestrate.ibm.com", "public.voip.staging-wa.watson-orchestrate.ibm.com"),
        ("API.US-SOUTH.Watson-Orchestrate.Cloud.IBM.com", "public.voip.us-south.watson-orchestrate.cloud.ibm.com"),
    ],
)
def test_voip_host_follows_the_adk_table(api_host: str, voip: str) -> None:
    assert voip_host(f"https://{api_host}/instances/inst-1") == voip
    assert sip_uri(f"https://{api_host}/instances/inst-1", TENANT) == f"sips:{voip}?x-tenant-id={TENANT}"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8787", "sips:127.0.0.1?x-tenant-id=sub-1_inst-1"),
        ("http://127.0.0.1:8787/instances/inst-1", "sips:127.0.0.1?x-tenant-id=sub-1_inst-1"),
        ("http://[::1]:8787", "sips:[::1]?x-tenant-id=sub-1_inst-1"),
        ("https://orchestrate.example.com/instances/x", "sips:orchestrate.example.com?x-tenant-id=sub-1_inst-1"),
    ],
)
def test_an_unknown_host_stands_for_itself(url: str, expected: str) -> None:
    assert sip_uri(url, TENANT) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://api.us-south.watson-orchestrate.cloud.ibm.com/instances/inst-1",
            "wss://channels.us-south.watson-orchestrate.cloud.ibm.com/tenants/sub-1_inst-1/",
        ),
        (
            "https://api.dl.watson-orchestrate.ibm.com/instances/inst-1/",
            "wss://channels.dl.watson-orchestrate.ibm.com/tenants/sub-1_inst-1/",
        ),
        ("http://127.0.0.1:8787/instances/inst-1", "ws://127.0.0.1:8787/tenants/sub-1_inst-1/"),
        ("https://proxy.example.com:8443", "wss://proxy.example.com:8443/tenants/sub-1_inst-1/"),
    ],
)
def test_audio_connect_uri(url: str, expected: str) -> None:
    assert audio_connect_uri(url, TENANT) == expected


def test_outputs_for_a_sip_trunk() -> None:
    outputs = {"service_provider": "sip_trunk", "tenant_id": TENANT}
    derived = integration_outputs("https://api.br-sao.watson-orchestrate.cloud.ibm.com/instances/i", CONFIG, outputs)
    assert derived == {"sip_uri": f"sips:public.voip.br-sao.watson-orchestrate.cloud.ibm.com?x-tenant-id={TENANT}"}


def test_outputs_for_genesys_one_connector_per_attachment() -> None:
    outputs = {
        "service_provider": "genesys_audio_connector",
        "tenant_id": TENANT,
        "attached_environments": [
            {"agent_id": "a1", "environment_id": "e1"},
            {"agent_id": "a2", "environment_id": "e2", "agent_name": "billing"},
        ],
    }
    derived = integration_outputs("http://127.0.0.1:9/instances/i", CONFIG, outputs)
    assert derived == {
        "audio_connect_uri": f"ws://127.0.0.1:9/tenants/{TENANT}/",
        "connectors": [
            {
                "agent_id": "a1",
                "environment_id": "e1",
                "connector_id": f"agents/a1/environments/e1/channels/genesys_audio_connector/{CONFIG}/connect",
            },
            {
                "agent_id": "a2",
                "environment_id": "e2",
                "connector_id": f"agents/a2/environments/e2/channels/genesys_audio_connector/{CONFIG}/connect",
            },
        ],
    }


def test_without_a_tenant_id_the_uris_are_absent_never_a_crash() -> None:
    assert integration_outputs("not a url", CONFIG, {"service_provider": "sip_trunk"}) == {}
    genesys = integration_outputs("", CONFIG, {"service_provider": "genesys_audio_connector"})
    assert genesys == {"connectors": []}
    assert integration_outputs("", CONFIG, {"service_provider": "fax", "tenant_id": TENANT}) == {}
