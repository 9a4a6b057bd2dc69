"""The one outbound HTTP client: link previews, federation fetches and deliveries all go through it.

Every request is bounded (connect/read time-out, body size cap, a few redirects) and never reaches loopback,
private, link-local, multicast or cloud-metadata addresses: the host is resolved first, every address is checked,
and the connection goes to the checked address (the Host header and TLS SNI keep the name), so a DNS answer that
changes between check and connect cannot redirect us. Each redirect hop is checked the same way.
`AGORA_FEDERATION_DEBUG=1` lifts the address rules (tests on loopback), and only that.

Deliveries (many small signed POSTs, each instance's on a kept-alive connection) go through `Deliveries`, on
aiohttp: it costs about a sixth of httpx's CPU per request here (docs/performance.md, "Fan-out"). The same rules
hold there: its resolver checks every address a name resolves to and the connection goes to those addresses (Host
and SNI keep the name); an address literal is checked before the request, as aiohttp does not resolve it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import aiohttp
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult

from agora.config import AGORA_VERSION, Settings

USER_AGENT = f"Agora/{AGORA_VERSION} (+https://join-lemmy.org compatible)"
DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_TIMEOUT = 10.0
MAX_IN_FLIGHT = 100  # requests at once per process; more wait their turn (see Outbound.__init__)
MAX_REDIRECTS = 3
DELIVERY_CONNECTIONS = 256  # deliveries in flight at once per process (one per instance: see federation/queue.py)
DELIVERY_PER_HOST = 2
MAX_ANSWER = 4096  # bytes of an inbox's answer kept (for the log)
DELIVERY_CONNECT_TIMEOUT = 3.0  # a dead host costs its own job this much, and no other's


class OutboundError(Exception):
    """A fetch that was refused or failed; `reason` is short and safe to log or show."""

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class ForbiddenAddress(OutboundError):
    pass


class TooLarge(OutboundError):
    pass


# sign(method, url, headers) → the headers with a signature added
Signer = Callable[[str, str, dict[str, str]], dict[str, str]]


@dataclass(slots=True)
class FetchResult:
    url: str  # the final URL, after redirects
    status: int
    headers: httpx.Headers
    content: bytes = field(repr=False)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:  # a name IDNA cannot encode is no host either
        raise OutboundError(f"cannot resolve {host}") from exc
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        if isinstance(sockaddr[0], str) and sockaddr[0] not in addresses:  # an int only for AF_UNIX-like families
            addresses.append(sockaddr[0])
    if not addresses:
        raise OutboundError(f"cannot resolve {host}")
    return addresses


def _checked_url(url: str, allow_http: bool) -> tuple[str, int]:
    """The host and port of a URL we may request (scheme, credentials, port); raises OutboundError."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or (parts.scheme == "http" and not allow_http):
        raise OutboundError(f"scheme {parts.scheme or '(none)'} is not allowed")
    host = parts.hostname
    if not host:
        raise OutboundError("URL has no host")
    if parts.username or parts.password:
        raise OutboundError("URLs with credentials are not fetched")
    try:
        return host, parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise OutboundError(f"{url[:200]} has a bad port") from exc


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


class CheckedResolver(AbstractResolver):
    """aiohttp's resolver for deliveries: every address of the name must be public, or none is used."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = await _resolve(host, port)
        for address in addresses:
            if not address_allowed(address):
                raise ForbiddenAddress(f"{host} resolves to a non-public address")
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in addresses
        ]

    async def close(self) -> None:
        return None


@dataclass(slots=True)
class Delivered:
    status: int
    content: bytes = field(repr=False)  # the start of the answer, for the log


class Deliveries:
    """Signed POSTs to inboxes on kept-alive connections: at most DELIVERY_CONNECTIONS at once and
    DELIVERY_PER_HOST per host, a short connect time-out, no redirects, the answer read up to `max_bytes`."""

    def __init__(self, settings: Settings) -> None:
        self.allow_private = settings.federation_debug
        self.allow_http = settings.federation_debug or not settings.use_https
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:  # made on first use, inside the running loop
            connector = aiohttp.TCPConnector(
                limit=DELIVERY_CONNECTIONS,
                limit_per_host=DELIVERY_PER_HOST,
                resolver=None if self.allow_private else CheckedResolver(),
                ttl_dns_cache=60,
                keepalive_timeout=30,
            )
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": USER_AGENT}, cookie_jar=aiohttp.DummyCookieJar()
            )
        return self._session

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def post(
        self, url: str, *, content: bytes, headers: dict[str, str], timeout: float = DEFAULT_TIMEOUT
    ) -> Delivered:
        host, _port = _checked_url(url, self.allow_http)
        literal = _literal(host)
        if literal is not None and not self.allow_private and not address_allowed(literal):
            raise ForbiddenAddress(f"{host} is not a public address")
        # No total: it would count the wait for a free connection, and a request timed out after it was sent is
        # sent again later. Connecting and each read are bounded instead.
        limits = aiohttp.ClientTimeout(
            total=None, connect=None, sock_connect=min(DELIVERY_CONNECT_TIMEOUT, timeout), sock_read=timeout
        )
        try:
            async with self._client().post(
                url, data=content, headers=headers, allow_redirects=False, timeout=limits
            ) as response:
                return Delivered(response.status, await response.content.read(MAX_ANSWER))
        except OutboundError:
            raise
        except TimeoutError as exc:
            raise OutboundError("timed out") from exc
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            raise OutboundError(f"{type(exc).__name__}: {exc}"[:200]) from exc


class Outbound:
    """Shared by the whole process; `transport` lets unit tests answer without a network."""

    def __init__(self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.allow_private = settings.federation_debug
        self.allow_http = settings.federation_debug or not settings.use_https
        self._client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,
            timeout=httpx.Timeout(DEFAULT_TIMEOUT, connect=5.0),
            limits=httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=50),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        )
        # Requests beyond the pool's connections wait here, not in httpx's pool: its queue costs a pass over
        # every waiting request on each connection event, which with a thousand deliveries at once (a fan-out)
        # took most of the event loop, and every delivery's database transaction waited behind it.
        self._in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        self.deliveries = Deliveries(settings)

    async def aclose(self) -> None:
        await self._client.aclose()
        await self.deliveries.aclose()

    async def _target(self, url: str) -> tuple[str, dict, dict]:
        """Check `url` and pick the address to connect to; answers (url to request, headers, extensions)."""
        host, port = _checked_url(url, self.allow_http)
        if self.allow_private:
            return url, {}, {}
        parts = urlsplit(url)
        literal = _literal(host)
        addresses = [literal] if literal else await _resolve(host, port)
        for address in addresses:
            if not address_allowed(address):
                raise ForbiddenAddress(f"{host} resolves to a non-public address")
        chosen = addresses[0]
        netloc_host = f"[{chosen}]" if ":" in chosen else chosen
        netloc = f"{netloc_host}:{parts.port}" if parts.port else netloc_host
        pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        host_header = host if not parts.port else f"{host}:{parts.port}"
        return pinned, {"Host": host_header}, {"sni_hostname": host}

    async def get(
        self,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = DEFAULT_TIMEOUT,
        max_redirects: int = MAX_REDIRECTS,
        sign: Signer | None = None,
    ) -> FetchResult:
        """GET with redirects followed by hand (each hop re-checked); `sign(method, url, headers)` may add a
        signature for each hop."""
        current = url
        for _ in range(max_redirects + 1):
            request_headers = dict(headers or {})
            if sign is not None:
                request_headers = sign("GET", current, request_headers)
            response = await self._send("GET", current, request_headers, None, max_bytes, timeout)
            if response.status in (301, 302, 303, 307, 308) and "location" in response.headers:
                current = urljoin(current, response.headers["location"])
                continue
            return response
        raise OutboundError("too many redirects")

    async def post(
        self,
        url: str,
        *,
        content: bytes,
        headers: dict[str, str],
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = 64 * 1024,
    ) -> FetchResult:
        """POST without following redirects (deliveries go to the inbox named, nowhere else)."""
        return await self._send("POST", url, headers, content, max_bytes, timeout)

    async def _send(
        self, method: str, url: str, headers: dict, content: bytes | None, max_bytes: int, timeout: float
    ) -> FetchResult:
        target, extra_headers, extensions = await self._target(url)
        request = self._client.build_request(
            method,
            target,
            headers={**headers, **extra_headers},
            content=content,
            extensions={**extensions, "timeout": httpx.Timeout(timeout, connect=min(5.0, timeout)).as_dict()},
        )
        async with self._in_flight:
            return await self._fetch(url, request, max_bytes, timeout)

    async def _fetch(self, url: str, request: httpx.Request, max_bytes: int, timeout: float) -> FetchResult:
        try:
            async with asyncio.timeout(timeout * 2):
                response = await self._client.send(request, stream=True)
                try:
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise TooLarge(f"response over {max_bytes} bytes", status=response.status_code)
                    body = bytearray()
                    # Decoded bytes are counted, so a compression bomb stops at the cap too.
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise TooLarge(f"response over {max_bytes} bytes", status=response.status_code)
                finally:
                    await response.aclose()
        except TimeoutError as exc:
            raise OutboundError("timed out") from exc
        except httpx.HTTPError as exc:
            raise OutboundError(f"{type(exc).__name__}: {exc}"[:200]) from exc
        return FetchResult(url=url, status=response.status_code, headers=response.headers, content=bytes(body))
