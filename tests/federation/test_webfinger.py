"""WebFinger: other servers find people and communities here by acct:name@host, with Lemmy's type hints."""

import httpx


def _finger(server, resource):
    return httpx.get(f"{server.base_url}/.well-known/webfinger", params={"resource": resource}, timeout=30)


def test_person_and_community_are_found_with_type_hints(server, api):
    member = api.register("finger_me")
    member.community("finger_me")
    host = server.settings.hostname
    response = _finger(server, f"acct:finger_me@{host}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/jrd+json")
    body = response.json()
    assert body["subject"] == f"acct:finger_me@{host}"
    selves = {
        link["properties"]["https://www.w3.org/ns/activitystreams#type"]: link["href"]
        for link in body["links"]
        if link["rel"] == "self"
    }
    assert selves["Person"].endswith("/u/finger_me") and selves["Group"].endswith("/c/finger_me")
    assert all(link["type"] == "application/activity+json" for link in body["links"] if link["rel"] == "self")
    assert _finger(server, f"finger_me@{host}").status_code == 200  # without the acct: scheme, as some servers send


def test_unknown_names_and_other_hosts_are_404(server, api):
    api.register("someone_here")
    assert _finger(server, f"acct:nobody@{server.settings.hostname}").status_code == 404
    assert _finger(server, "acct:someone_here@other.example").status_code == 404
    assert _finger(server, "").status_code == 404
    assert _finger(server, "acct:" + "x" * 5000 + f"@{server.settings.hostname}").status_code == 404
