"""The outbound client's guards, with httpx.MockTransport standing in for the network."""

import asyncio
import gzip

import httpx
import pytest

from agora.config import Settings
from agora.outbound import MAX_IN_FLIGHT, ForbiddenAddress, Outbound, OutboundError, TooLarge, address_allowed

PUBLIC = "93.184.216.34"


def client(handler, **settings) -> Outbound:
    return Outbound(Settings(hostname="forum.example", **settings), transport=httpx.MockTransport(handler))


def run(coro):
    return asyncio.run(coro)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fd00::1",
        "0.0.0.0",
        "224.0.0.1",
        "::ffff:127.0.0.1",
        "100.64.0.1",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert not address_allowed(address)
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(ForbiddenAddress):
        run(client(lambda r: httpx.Response(200)).get(f"https://{host}/"))


def test_hostname_resolving_to_loopback_is_refused():
    with pytest.raises(ForbiddenAddress):
        run(client(lambda r: httpx.Response(200)).get("https://localhost/"))


def test_public_address_is_fetched_with_host_header_kept():
    seen = {}

    def handler(request: httpx.Request):
        seen["url"], seen["host"] = str(request.url), request.headers["host"]
        return httpx.Response(200, content=b"hello", headers={"content-type": "text/plain"})

    result = run(client(handler).get(f"https://{PUBLIC}/page"))
    assert result.content == b"hello" and result.content_type == "text/plain"
    assert seen["host"] == PUBLIC


def test_redirect_to_private_address_is_refused():
    def handler(request: httpx.Request):
        return httpx.Response(302, headers={"location": "http://169.254.169.254/latest/meta-data"})

    with pytest.raises(OutboundError):
        run(client(handler).get(f"https://{PUBLIC}/start"))


def test_plain_http_refused_in_production_style_settings():
    with pytest.raises(OutboundError):
        run(client(lambda r: httpx.Response(200)).get(f"http://{PUBLIC}/"))


def test_body_over_the_cap_is_refused_even_without_content_length():
    def handler(request):
        return httpx.Response(200, content=b"x" * 5000)

    with pytest.raises(TooLarge):
        run(client(handler).get(f"https://{PUBLIC}/", max_bytes=1000))


def test_gzip_bomb_is_refused():
    bomb = gzip.compress(b"\0" * 5_000_000)

    def handler(request):
        return httpx.Response(200, content=bomb, headers={"content-encoding": "gzip"})

    with pytest.raises(TooLarge):
        run(client(handler).get(f"https://{PUBLIC}/", max_bytes=100_000))


def test_debug_setting_allows_loopback_and_http():
    result = run(client(lambda r: httpx.Response(204), federation_debug=True).get("http://127.0.0.1:9/"))
    assert result.status == 204


def test_requests_beyond_the_cap_wait_their_turn_and_all_complete():
    in_flight = peak = 0

    async def handler(request: httpx.Request):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(202)

    async def deliver_all():
        outbound = client(handler)
        try:
            posts = (
                outbound.post(f"https://{PUBLIC}/inbox", content=b"{}", headers={}) for _ in range(MAX_IN_FLIGHT + 50)
            )
            return await asyncio.gather(*posts)
        finally:
            await outbound.aclose()

    results = run(deliver_all())
    assert [r.status for r in results] == [202] * (MAX_IN_FLIGHT + 50)
    assert peak == MAX_IN_FLIGHT


async def _deliver_to_loopback(url_host: str, **settings) -> tuple[int | None, int]:
    """POST through the delivery client to a loopback listener named `url_host`; answers (status or None when
    refused, connections the listener saw)."""
    connections = 0

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    deliveries = Outbound(Settings(hostname="forum.example", **settings)).deliveries
    try:
        result = await deliveries.post(f"http://{url_host}:{port}/inbox", content=b"{}", headers={})
        return result.status, connections
    except ForbiddenAddress:
        return None, connections
    finally:
        await deliveries.aclose()
        server.close()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_deliveries_never_connect_to_loopback(host):
    assert run(_deliver_to_loopback(host, https=False)) == (None, 0)


def test_deliveries_refuse_plain_http_in_production_style_settings():
    with pytest.raises(OutboundError):
        run(_deliver_to_loopback("127.0.0.1"))


def test_debug_setting_lets_deliveries_reach_loopback():
    assert run(_deliver_to_loopback("localhost", federation_debug=True)) == (202, 1)
