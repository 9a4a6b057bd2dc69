"""A tiny ActivityPub server on loopback that plays another instance: it serves actors (with a test key) and
objects by path, answers WebFinger, records what is POSTed to its inboxes, and signs activities it sends.

Real documents (../shared/fixtures) name hosts like ds9.lemmy.ml; `Hosts` maps each such host to its own Peer
(or to the Agora server under test) and rewrites documents consistently, so every id still lives on its host.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import uuid
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from agora.federation import signatures
from tests.conftest import free_port

AP = "application/activity+json"
# Vocabulary and media hosts stay as they are: only the hosts of actors and objects play instances.
KEPT_HOSTS = frozenset(
    {
        "www.w3.org",
        "w3id.org",
        "join-lemmy.org",
        "ostatus.org",
        "joinmastodon.org",
        "schema.org",
        "litepub.social",
        "joinpeertube.org",
        "purl.org",
        "lemmy.ml",
        "memory-alpha.fandom.com",
        "github.com",
        "kde.org",
        "example.com/some-article",
    }
)
HOST = re.compile(r"https?://([a-z0-9.\-]+(?::\d+)?)", re.IGNORECASE)
_KEYS: tuple[str, str] | None = None


def test_keys() -> tuple[str, str]:
    """One RSA pair for every fake actor of the run (each is ~50 ms to make)."""
    global _KEYS
    if _KEYS is None:
        _KEYS = signatures.generate_key_pair()
    return _KEYS


def fixtures_root() -> Path | None:
    for root in Path(__file__).resolve().parents:
        candidate = root / "shared" / "fixtures" / "activitypub"
        if candidate.is_dir():
            return candidate
    return None


class Peer:
    def __init__(self, tls: tuple[str, str] | None = None) -> None:
        """`tls`: (certificate file, key file) to serve https, as most real instances do."""
        self.port = free_port()
        self.base_url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.domain = f"127.0.0.1:{self.port}"
        self.documents: dict[str, dict] = {}
        self.received: list[dict] = []
        self.status = 202  # what its inboxes answer (tests make it fail)
        self.delay = 0.0  # seconds its inboxes take to answer, after recording what came (tests make it slow)
        self.private_key, self.public_key = test_keys()
        app = Starlette(routes=[Route("/{path:path}", self._handle, methods=["GET", "POST"])])
        certificate, key = tls or (None, None)
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            ssl_certfile=certificate,
            ssl_keyfile=key,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=lambda: asyncio.run(self.server.serve()), daemon=True)

    def start(self) -> Peer:
        self.thread.start()
        for _ in range(400):
            if self.server.started:
                return self
            threading.Event().wait(0.025)
        raise RuntimeError("peer did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    # --- documents -------------------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def follow(self, actor: str, target: str) -> dict:
        """A Follow of `target` by this peer's `actor`, with a fresh id on this peer."""
        return {
            "id": self.url(f"/activities/follow/{uuid.uuid4()}"),
            "type": "Follow",
            "actor": actor,
            "object": target,
        }

    def add(self, document: dict) -> dict:
        path = re.sub(r"^https?://[^/]+", "", document["id"]) or "/"
        self.documents[path] = document
        return document

    def person(self, username: str, path: str | None = None, **extra: Any) -> dict:
        url = self.url(path or f"/u/{username}")
        return self.add(
            {
                "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
                "id": url,
                "type": "Person",
                "preferredUsername": username,
                "inbox": f"{url}/inbox",
                "endpoints": {"sharedInbox": self.url("/inbox")},
                "publicKey": {"id": f"{url}#main-key", "owner": url, "publicKeyPem": self.public_key},
                **extra,
            }
        )

    def group(self, name: str, **extra: Any) -> dict:
        url = self.url(f"/c/{name}")
        return self.add(
            {
                "id": url,
                "type": "Group",
                "preferredUsername": name,
                "name": name.title(),
                "inbox": f"{url}/inbox",
                "followers": f"{url}/followers",
                "attributedTo": f"{url}/moderators",
                "outbox": f"{url}/outbox",
                "endpoints": {"sharedInbox": self.url("/inbox")},
                "publicKey": {"id": f"{url}#main-key", "owner": url, "publicKeyPem": self.public_key},
                **extra,
            }
        )

    def _synthesize(self, path: str) -> dict | None:
        """Actors every fixture may name, made on demand (Lemmy's /u and /c, Mastodon's /users)."""
        if match := re.fullmatch(r"/(?:u|users)/([A-Za-z0-9_]+)", path):
            return self.person(match.group(1), path)
        if match := re.fullmatch(r"/c/([A-Za-z0-9_]+)", path):
            return self.group(match.group(1))
        if match := re.fullmatch(r"/c/([A-Za-z0-9_]+)/moderators", path):
            return {"id": self.url(path), "type": "OrderedCollection", "orderedItems": []}
        if path == "/":
            return {
                "id": self.url("/"),
                "type": "Application",
                "preferredUsername": self.domain,
                "name": "peer",
                "inbox": self.url("/inbox"),
                "publicKey": {"id": self.url("/#main-key"), "owner": self.url("/"), "publicKeyPem": self.public_key},
            }
        return None

    async def _handle(self, request: Request) -> Response:
        path = "/" + request.path_params["path"]
        if request.method == "POST":
            body = await request.body()
            if self.status < 300:  # what a failing server answered with an error it never "received"
                self.received.append(
                    {"path": path, "headers": dict(request.headers), "body": body, "activity": json.loads(body)}
                )
            if self.delay:
                await asyncio.sleep(self.delay)
            return Response(status_code=self.status)
        if path == "/.well-known/webfinger":
            name = request.query_params.get("resource", "").removeprefix("acct:").split("@")[0]
            links = [
                {
                    "rel": "self",
                    "type": AP,
                    "href": self.url(f"/{kind}/{name}"),
                    "properties": {"https://www.w3.org/ns/activitystreams#type": label},
                }
                for kind, label in (("u", "Person"), ("c", "Group"))
                if f"/{kind}/{name}" in self.documents
            ]
            return JSONResponse({"subject": f"acct:{name}@{self.domain}", "links": links})
        document = self.documents.get(path) or self._synthesize(path)
        if document is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        if document.get("type") == "Tombstone":
            return JSONResponse(document, status_code=410, media_type=AP)
        return JSONResponse(document, media_type=AP)

    # --- sending ---------------------------------------------------------------------------------------------
    def sign(self, url: str, body: bytes, actor: str) -> dict:
        headers = signatures.sign_headers("POST", url, body, f"{actor}#main-key", self.private_key)
        return {**headers, "Content-Type": AP}

    def send(self, inbox: str, activity: dict, actor: str | None = None) -> httpx.Response:
        body = json.dumps(activity).encode()
        headers = self.sign(inbox, body, actor or activity["actor"])
        return httpx.post(inbox, content=body, headers=headers, timeout=30)


class Hosts:
    """Fixture hosts → loopback: `ours` becomes the Agora server under test, every other host a Peer of its own."""

    def __init__(self, ours: str, our_domain: str) -> None:
        self.ours = ours
        self.our_domain = our_domain
        self.peers: dict[str, Peer] = {}

    def peer(self, host: str) -> Peer:
        if host not in self.peers:
            self.peers[host] = Peer().start()
        return self.peers[host]

    def domain(self, host: str) -> str:
        if host == self.our_domain or host in {p.domain for p in self.peers.values()}:
            return host  # already rewritten
        return self.our_domain if host == self.ours else self.peer(host).domain

    def rewrite(self, value: Any) -> Any:
        text = json.dumps(value)
        text = HOST.sub(
            lambda m: m.group(0) if m.group(1).lower() in KEPT_HOSTS else f"http://{self.domain(m.group(1).lower())}",
            text,
        )
        return json.loads(text)

    def stop(self) -> None:
        for peer in self.peers.values():
            peer.stop()
