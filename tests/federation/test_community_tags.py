"""Community tags (Lemmy 1.0) over federation: a Lemmy 1.0 Group's tags and a Page's tags are taken in (only ids
on the community's host), and our Group and Page documents carry ours, fetched and sent."""

from __future__ import annotations

import httpx
import pytest

from tests.federation.conftest import needs_fixtures, wait_for
from tests.federation.test_outbound import local  # noqa: F401  (the fixture)
from tests.support.client import Api

pytestmark = pytest.mark.federation
AP = {"Accept": "application/activity+json"}
TENFORWARD = "https://enterprise.lemmy.ml/c/tenforward"


def _names(tags: list[dict]) -> list[str]:
    return sorted(tag["name"] for tag in tags)


@needs_fixtures
def test_a_lemmy_1_group_and_page_bring_their_tags(world_factory):
    world = world_factory("us.example")
    enterprise = world.peer("enterprise.lemmy.ml")
    group = world.fixture("1.0", "lemmy/objects/group.json")
    group["publicKey"]["publicKeyPem"] = enterprise.public_key
    group["tag"].append(
        {"type": "CommunityPostTag", "id": "https://elsewhere.example/tag/spam", "preferredUsername": "spam"}
    )
    enterprise.add(group)
    enterprise.add(world.fixture("1.0", "lemmy/objects/page.json"))
    v4 = Api(world.server.base_url, world.admin.api.token, "/api/v4")

    found = world.admin.api.get("/resolve_object", q=world.url("https://enterprise.lemmy.ml/post/55143"))["post"]
    community = v4.get("/community", id=found["community"]["id"])["community_view"]
    [news] = community["tags"]  # the tag on another host than the community is not believed
    assert news["name"] == "news" and news["ap_id"] == world.url(f"{TENFORWARD}/tag/news")
    assert _names(v4.get("/post", id=found["post"]["id"])["post_view"]["tags"]) == ["news"]
    assert "tags" not in world.admin.api.get("/post", id=found["post"]["id"])["post_view"]  # v3 stays 0.19's
    here = {"community_id": community["community"]["id"], "name": "local"}
    assert v4.error("POST", "/community/tag", here) == (400, "couldnt_create")  # its own server keeps its tags
    assert v4.error("DELETE", "/community/tag", {"tag_id": news["id"], "delete": True}) == (400, "couldnt_create")

    # an Update of the Group that lists the tag no more: it is deleted here, and leaves the post
    group["tag"] = []
    group["updated"] = "2030-01-01T00:00:00Z"
    enterprise.add(group)
    picard = world.url("https://enterprise.lemmy.ml/u/picard")
    update = {
        "id": world.url("https://enterprise.lemmy.ml/activities/update/tags-gone"),
        "type": "Update",
        "actor": picard,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": group,
        "cc": [group["id"]],
        "audience": group["id"],
    }
    assert world.apply(update) == ("applied", None)
    assert v4.get("/community", id=found["community"]["id"])["community_view"]["tags"] == []
    assert v4.get("/post", id=found["post"]["id"])["post_view"]["tags"] == []


def test_our_group_and_page_carry_their_tags_fetched_and_sent(local):  # noqa: F811
    server, admin, community, follower = local
    peer, _actor = follower()
    v4 = Api(server.base_url, admin.api.token, "/api/v4")
    tag = v4.post("/community/tag", {"community_id": community["id"], "name": "news", "display_name": "News"})
    post = v4.post("/post", {"name": "Tagged news", "community_id": community["id"], "tags": [tag["id"]]})["post_view"]

    group = httpx.get(community["actor_id"], headers=AP).json()
    assert group["tag"] == [
        {
            "type": "CommunityPostTag",
            "id": tag["ap_id"],
            "preferredUsername": "news",
            "name": "News",
            "color": "color01",
        }
    ]
    page = httpx.get(post["post"]["ap_id"], headers=AP).json()
    assert [t["id"] for t in page["tag"] if t["type"] == "CommunityPostTag"] == [tag["ap_id"]]

    def sent(kind: str, inner: str) -> list[dict]:
        out = []
        for received in peer.received:
            activity = received["activity"]
            activity = activity["object"] if activity["type"] == "Announce" else activity
            inside = activity.get("object")
            if activity["type"] == kind and isinstance(inside, dict) and inside.get("type") == inner:
                out.append(inside)
        return out

    updates = wait_for(lambda: sent("Update", "Group"), message="the Update of the Group at the follower")
    assert [t["id"] for t in updates[-1]["tag"]] == [tag["ap_id"]]
    created = wait_for(lambda: sent("Create", "Page"), message="the Create of the Page at the follower")
    assert [t["id"] for t in created[-1]["tag"] if t["type"] == "CommunityPostTag"] == [tag["ap_id"]]
