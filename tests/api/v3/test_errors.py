"""Malformed and hostile requests get a 4xx with Lemmy's error body, never a 500."""

import httpx
import pytest


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/post", {"params": {"id": "99999999999"}}),
        ("GET", "/post/list", {"params": {"page_cursor": "P" + "f" * 16}}),
        ("GET", "/post/list", {"params": {"community_id": str(2**40)}}),
        ("GET", "/post/list", {"params": {"limit": "abc"}}),
        ("GET", "/post/list", {"params": {"sort": "Bogus"}}),
        ("GET", "/comment/list", {"params": {"post_id": "-1", "max_depth": "0"}}),
        ("POST", "/user/login", {"content": b"\xff\xfe", "headers": {"content-type": "application/json"}}),
        ("POST", "/user/login", {"content": b'{"a":1}', "headers": {"content-type": "text/plain"}}),
        ("POST", "/user/login", {"content": b"[]", "headers": {"content-type": "application/json"}}),
        (
            "POST",
            "/user/login",
            {"content": ("[" * 100_000 + "]" * 100_000).encode(), "headers": {"content-type": "application/json"}},
        ),
        ("POST", "/user/register", {"json": {"username": "x" * 10_000, "password": "p", "password_verify": "p"}}),
    ],
)
def test_bad_requests_get_a_lemmy_error(server, method, path, kwargs):
    response = httpx.request(method, f"{server.base_url}/api/v3{path}", timeout=30, **kwargs)
    assert 400 <= response.status_code < 500, response.text
    assert isinstance(response.json()["error"], str)


def test_oversized_body_is_refused_with_413(server):
    response = httpx.post(
        f"{server.base_url}/api/v3/post",
        content=b"{" + b" " * (3 * 1024 * 1024) + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


def test_a_read_sent_with_a_body_meets_the_same_limits(server):
    """The busiest reads (api.hot_reads) sit inside the middleware stack: one that comes with a body meets its
    limits, and a small body changes nothing."""
    url = f"{server.base_url}/api/v3/post/list"
    too_large = httpx.request(
        "GET", url, content=b"{" + b" " * (3 * 1024 * 1024) + b"}", headers={"content-type": "application/json"}
    )
    assert too_large.status_code == 413 and too_large.json()["error"] == "too_large"
    deep = httpx.request("GET", url, content=b"[" * 40 + b"]" * 40, headers={"content-type": "application/json"})
    assert deep.status_code == 400 and deep.json()["error"] == "invalid_body_field"
    small = httpx.request(
        "GET", url, content=b"{}", headers={"content-type": "application/json", "origin": "https://a.example"}
    )
    plain = httpx.get(url, headers={"origin": "https://a.example"})
    assert small.status_code == plain.status_code == 200 and small.json() == plain.json()
    for answer in (small, plain):
        assert answer.headers["access-control-allow-origin"] == "*" and answer.headers["vary"] == "Origin"


def test_unknown_path_is_a_json_404(server):
    response = httpx.get(f"{server.base_url}/api/v3/no/such/route")
    assert response.status_code == 404 and "error" in response.json()


def test_deeply_nested_json_is_refused_before_any_handler_sees_it(server, api):
    member = api.register()
    nested = {"display_name": "Deep", "settings": {}}
    cursor = nested["settings"]
    for _ in range(40):
        cursor["x"] = {}
        cursor = cursor["x"]
    response = httpx.post(
        f"{server.base_url}/api/v3/user/import_settings",
        json=nested,
        headers={"Authorization": f"Bearer {member.token}"},
    )
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_body_field", "message": "JSON nested deeper than 32 levels"}
    assert member.api.get("/site")["my_user"]["local_user_view"]["person"].get("display_name") is None
    shallow = {"display_name": "Shallow", "settings": {"a": {"b": {"c": [1, [2, [3]]]}}}}
    assert member.api.post("/user/import_settings", shallow)["success"] is True
