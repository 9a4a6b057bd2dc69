"""The instance's Application actor at `/`: it signs our fetches and is the target of site bans."""

from __future__ import annotations

from dataclasses import dataclass

from agora.federation.objects import CONTEXT, compact, dates, origin, reading, source
from agora.federation.objects.person import public_key_of, shared_inbox_of
from agora.text.markdown import render


def application(site: dict, public_key_pem: str, base_url: str, domain: str) -> dict:
    url = f"{base_url}/"
    return compact(
        {
            "@context": CONTEXT,
            "id": url,
            "type": "Application",
            "name": site["name"],
            "preferredUsername": domain,
            "summary": site.get("description"),
            "content": render(site["sidebar"], base_url=origin(url)) if site.get("sidebar") else None,
            "mediaType": "text/html",
            "source": source(site.get("sidebar")),
            "inbox": f"{base_url}/inbox",
            "outbox": f"{base_url}/site_outbox",
            "endpoints": {"sharedInbox": f"{base_url}/inbox"},
            "publicKey": {"id": f"{url}#main-key", "owner": url, "publicKeyPem": public_key_pem},
            **dates(site),
        }
    )


@dataclass(frozen=True, slots=True)
class RemoteInstanceActor:
    ap_id: str
    inbox: str
    shared_inbox: str | None
    public_key: str


def parse(document: dict) -> RemoteInstanceActor:
    if reading.kind(document) not in ("Application", "Service"):
        raise reading.invalid("not an instance actor")
    ap_id = reading.url(document.get("id"))
    return RemoteInstanceActor(
        ap_id=ap_id,
        inbox=reading.url(document.get("inbox"), "inbox"),
        shared_inbox=shared_inbox_of(document, ap_id),
        public_key=public_key_of(document, ap_id),
    )
