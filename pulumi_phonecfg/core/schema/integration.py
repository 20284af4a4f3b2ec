"""What the other side of the wire needs: the carrier's SIP URI, Genesys Cloud's Audio Connector settings.

The API has no endpoint for these; IBM's ADK derives them client-side (reference §1.8) and so do we, from the
provider's instance URL and the `tenant_id` the API returns for the config:

- SIP trunk: `sips:<voip host>?x-tenant-id=<tenant_id>`, the VoIP host mapped from the API host (`VOIP_HOSTS`,
  the ADK's table, in its order: first match wins);
- Genesys: `audio_connect_uri` = the instance URL's origin with `https://api.` turned into `wss://channels.`,
  plus `/tenants/<tenant_id>/`; one `connector_id` per attached agent environment.

Hosts the table does not know (the emulator on 127.0.0.1, a proxy) get the API host itself: `sips:<host>` and
`ws(s)://<host[:port]>/tenants/<tenant_id>/`. Well-formed and stable, but nothing listens for SIP or Audio
Connector traffic there: it marks "not a known watsonx Orchestrate region", where the ADK prints a literal
`{base_url}`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from pulumi_phonecfg.core.schema.api_documents import config_kind
from pulumi_phonecfg.core.schema.fields import derived_outputs
from pulumi_phonecfg.core.schema.models import GENESYS, SIP_TRUNK

# (substrings the API host must all contain, VoIP host), in the ADK's order (`PhoneController._get_sip_uri`).
VOIP_HOSTS: Final[tuple[tuple[tuple[str, ...], str], ...]] = (
    (("watson-orchestrate.test.cloud.ibm.com",), "public.voip.us-south.watson-orchestrate.test.cloud.ibm.com"),
    (("br-sao", "watson-orchestrate.cloud.ibm.com"), "public.voip.br-sao.watson-orchestrate.cloud.ibm.com"),
    # Every other IBM Cloud region: the ADK sends them all to Dallas (unverified, see docs/emulator.md).
    (("watson-orchestrate.cloud.ibm.com",), "public.voip.us-south.watson-orchestrate.cloud.ibm.com"),
    (("dev-wa.watson-orchestrate.ibm.com",), "public.voip.dev-wa.watson-orchestrate.ibm.com"),
    (("dev-sbsz2.watson-orchestrate.ibm.com",), "public.voip.dev-sbsz2.watson-orchestrate.ibm.com"),
    (("staging-wa.watson-orchestrate.ibm.com",), "public.voip.staging-wa.watson-orchestrate.ibm.com"),
    (("preprod.dl.watson-orchestrate.ibm.com",), "public.voip.preprod.dl.watson-orchestrate.ibm.com"),
    (("ap-south-1.dl.watson-orchestrate.ibm.com",), "public.voip.ap-south-1.dl.watson-orchestrate.ibm.com"),
    (("eu-central-1.dl.watson-orchestrate.ibm.com",), "public.voip.eu-central-1.dl.watson-orchestrate.ibm.com"),
    (("dl.watson-orchestrate.ibm.com",), "public.voip.dl.watson-orchestrate.ibm.com"),
)
GENESYS_CHANNEL: Final = "genesys_audio_connector"
# The outputs each kind carries (what `integration_outputs` fills in), from the field table.
INTEGRATION_FIELDS: Final[dict[str, tuple[str, ...]]] = {kind: derived_outputs(kind) for kind in (SIP_TRUNK, GENESYS)}


def _host(instance_url: str) -> str:
    host = (urlsplit(instance_url).hostname or "").lower()
    return f"[{host}]" if ":" in host else host  # IPv6 literal


def voip_host(instance_url: str) -> str:
    """The SIP host for the instance's region; an unknown API host stands for itself."""
    host = _host(instance_url)
    for parts, voip in VOIP_HOSTS:
        if all(part in host for part in parts):
            return voip
    return host


def sip_uri(instance_url: str, tenant_id: str) -> str:
    return f"sips:{voip_host(instance_url)}?x-tenant-id={tenant_id}"


def audio_connect_uri(instance_url: str, tenant_id: str) -> str:
    parts = urlsplit(instance_url)
    netloc = parts.netloc.rsplit("@", 1)[-1].lower()
    if parts.scheme == "https" and netloc.startswith("api."):
        origin = "wss://channels." + netloc.removeprefix("api.")
    else:
        origin = ("wss://" if parts.scheme == "https" else "ws://") + netloc
    return f"{origin}/tenants/{tenant_id}/"


def connector_id(agent_id: str, environment_id: str, config_id: str) -> str:
    return f"agents/{agent_id}/environments/{environment_id}/channels/{GENESYS_CHANNEL}/{config_id}/connect"


def integration_outputs(instance_url: str, config_id: str, outputs: Mapping[str, Any]) -> dict[str, Any]:
    """`sip_uri` for a SIP trunk; `audio_connect_uri` and `connectors` for Genesys. Absent when unknowable."""
    kind = config_kind(outputs)
    tenant_id = outputs.get("tenant_id")
    tenant = str(tenant_id) if tenant_id else None
    if kind == SIP_TRUNK:
        return {"sip_uri": sip_uri(instance_url, tenant)} if tenant else {}
    if kind != GENESYS:
        return {}
    derived: dict[str, Any] = {"connectors": connectors(config_id, outputs.get("attached_environments") or [])}
    if tenant:
        derived["audio_connect_uri"] = audio_connect_uri(instance_url, tenant)
    return derived


def connectors(config_id: str, attached_environments: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Genesys: one connector per attached agent environment."""
    return [
        {
            "agent_id": attached["agent_id"],
            "environment_id": attached["environment_id"],
            "connector_id": connector_id(attached["agent_id"], attached["environment_id"], config_id),
        }
        for attached in attached_environments
        if attached.get("agent_id") and attached.get("environment_id")
    ]
