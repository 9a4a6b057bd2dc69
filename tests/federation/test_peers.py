"""Agora servers federating with each other on loopback, as Lemmy's own federation suite drives Lemmy: remote
moderators, bans that cross servers, reports, our URLs of other servers' posts, a follow that crosses a removal."""

from __future__ import annotations

import httpx
import pytest

from tests.federation.conftest import FAST, wait_for
from tests.support.admin import make_admin
from tests.support.client import Api, Member

pytestmark = pytest.mark.federation
AP = {"Accept": "application/activity+json"}


@pytest.fixture
def agoras(server_factory):
    """agoras(n) → the admins of n servers federating over loopback (`admin.api.base_url` is their server)."""

    def start(n: int) -> list[Member]:
        return [make_admin(server_factory(**FAST)) for _ in range(n)]

    return start


def resolved(member: Member, q: str, kind: str) -> dict:
    return member.api.get("/resolve_object", q=q)[kind]


def follow(member: Member, actor_id: str) -> int:
    """Follow a remote community and wait for its Accept; answers its id on the member's server."""
    community_id = resolved(member, actor_id, "community")["community"]["id"]
    member.api.post("/community/follow", {"community_id": community_id, "follow": True})
    wait_for(
        lambda: member.api.get("/community", id=community_id)["community_view"]["subscribed"] == "Subscribed",
        message="the Accept",
    )
    return community_id


def post_view(member: Member, post_id: int) -> dict:
    return member.api.get("/post", id=post_id)["post_view"]


def on(member: Member, post: dict) -> int:
    """The id of `post` (another server's view of it) on the member's server, once it is there."""
    return wait_for(lambda: resolved(member, post["ap_id"], "post")["post"]["id"], message="the post")


def test_a_remote_moderator_edits_the_community_from_home(agoras):
    """Lemmy's "Remote mods can edit communities": the Add reaches the new moderator's server, which does not
    follow the community, so its member may edit there; the edit reaches the community and its followers."""
    alpha_admin, beta, gamma = agoras(3)
    community = alpha_admin.community()["community"]
    reader = Api(gamma.api.base_url).register()
    gamma_id = follow(reader, community["actor_id"])
    mod = Api(beta.api.base_url).register()
    beta_id = resolved(mod, community["actor_id"], "community")["community"]["id"]
    mod_on_alpha = resolved(alpha_admin, f"{beta.api.base_url}/u/{mod.name}", "person")["person"]["id"]
    alpha_admin.api.post("/community/mod", {"community_id": community["id"], "person_id": mod_on_alpha, "added": True})
    wait_for(
        lambda: mod.name in [m["moderator"]["name"] for m in mod.api.get("/community", id=beta_id)["moderators"]],
        message="the Add on the moderator's server",
    )
    mod.api.put("/community", {"community_id": beta_id, "description": "Example description"})

    def description(member: Member, community_id: int) -> str | None:
        return member.api.get("/community", id=community_id)["community_view"]["community"].get("description")

    wait_for(lambda: description(alpha_admin, community["id"]) == "Example description", message="the edit on alpha")
    wait_for(lambda: description(reader, gamma_id) == "Example description", message="the edit announced to gamma")


def test_a_site_ban_of_a_remote_person_bans_them_from_our_communities(agoras):
    """Lemmy's "Enforce site ban federation for federated user": the site ban stays ours, the bans from our
    communities they wrote in reach their server, with the removal of their content there."""
    alpha, beta_admin = agoras(2)
    community = beta_admin.community()["community"]
    writer = Api(alpha.api.base_url).register()
    follow(writer, community["actor_id"])
    beta_id = resolved(writer, community["actor_id"], "community")["community"]["id"]
    post = writer.post(beta_id, name="soon gone")["post"]
    on_beta = on(beta_admin, post)
    writer_on_beta = post_view(beta_admin, on_beta)["creator"]["id"]
    beta_admin.api.post("/user/ban", {"person_id": writer_on_beta, "ban": True, "remove_data": True})
    assert post_view(beta_admin, on_beta)["post"]["removed"] is True
    view = wait_for(lambda: (v := post_view(writer, post["id"]))["post"]["removed"] and v, message="the removal")
    assert view["creator_banned_from_community"] is True
    assert writer.api.get("/site")["my_user"]["local_user_view"]["person"]["banned"] is False
    beta_admin.api.post("/user/ban", {"person_id": writer_on_beta, "ban": False})
    wait_for(lambda: not post_view(writer, post["id"])["creator_banned_from_community"], message="the unban")


def test_a_community_ban_from_its_home_holds_for_an_admin_of_ours(agoras):
    """Lemmy's "Enforce community ban for federated user": the community's moderators rule it, whoever the
    person is at home; after the unban a new follow is accepted and posts go through again."""
    alpha_admin, beta_admin = agoras(2)
    community = beta_admin.community()["community"]
    beta_id = follow(alpha_admin, community["actor_id"])
    post = alpha_admin.post(beta_id, name="rude")["post"]
    on_beta = on(beta_admin, post)
    admin_on_beta = post_view(beta_admin, on_beta)["creator"]["id"]
    ban = {"community_id": community["id"], "person_id": admin_on_beta, "ban": True, "remove_data": True}
    beta_admin.api.post("/community/ban_user", ban)
    view = wait_for(lambda: (v := post_view(alpha_admin, post["id"]))["post"]["removed"] and v, message="the ban")
    assert view["creator_banned_from_community"] is True and view["banned_from_community"] is True
    assert alpha_admin.api.error("POST", "/post", {"name": "again", "community_id": beta_id})[1] == (
        "banned_from_community"
    )
    beta_admin.api.post("/community/ban_user", {**ban, "ban": False, "remove_data": False})
    wait_for(lambda: not post_view(alpha_admin, post["id"])["banned_from_community"], message="the unban")
    follow(alpha_admin, community["actor_id"])
    again = alpha_admin.post(beta_id, name="better now")["post"]
    assert post_view(beta_admin, on(beta_admin, again))["creator_banned_from_community"] is False


def test_a_report_goes_to_the_community_and_to_the_author_s_server(agoras):
    """Lemmy's "Report a post": both the community's server and the poster's get it."""
    alpha_admin, beta_admin, gamma = agoras(3)
    community = beta_admin.community()["community"]
    beta_id = follow(alpha_admin, community["actor_id"])
    post = alpha_admin.post(beta_id, name="reported")["post"]
    on(beta_admin, post)
    reporter = Api(gamma.api.base_url).register()
    on_gamma = resolved(reporter, post["ap_id"], "post")["post"]["id"]
    reporter.api.post("/post/report", {"post_id": on_gamma, "reason": "off topic"})
    for admin in (beta_admin, alpha_admin):
        reports = wait_for(lambda a=admin: a.api.get("/post/report/list")["post_reports"], message="the report")
        assert reports[0]["post_report"]["reason"] == "off topic"
        assert reports[0]["post_report"]["original_post_name"] == "reported"


def test_our_url_of_a_remote_post_leads_to_its_id(agoras):
    """Lemmy's "Fetch post via redirect" and "Fetch post with redirect": an ActivityPub GET of our URL of
    another server's post is redirected to its id; resolve_object follows that, and takes our own URL too."""
    alpha_admin, beta_admin, gamma_admin = agoras(3)
    community = beta_admin.community()["community"]
    beta_id = follow(alpha_admin, community["actor_id"])
    post = alpha_admin.post(beta_id, name="far away")["post"]
    comment = alpha_admin.comment(post["id"], "and a reply")["comment"]
    on_beta = on(beta_admin, post)
    ours = f"{beta_admin.api.base_url}/post/{on_beta}"
    answer = httpx.get(ours, headers=AP)
    assert answer.status_code == 308 and answer.headers["location"] == post["ap_id"]
    assert httpx.get(ours, headers={"Accept": "text/html"}).status_code == 200  # browsers get our page of it
    comment_on_beta = wait_for(lambda: beta_admin.api.get("/comment/list", post_id=on_beta)["comments"])
    answer = httpx.get(f"{beta_admin.api.base_url}/comment/{comment_on_beta[0]['comment']['id']}", headers=AP)
    assert answer.status_code == 308 and answer.headers["location"] == comment["ap_id"]
    found = resolved(gamma_admin, ours, "post")["post"]
    assert found["ap_id"] == post["ap_id"]
    again = resolved(gamma_admin, f"{gamma_admin.api.base_url}/post/{found['id']}", "post")["post"]
    assert again["id"] == found["id"]


def test_a_follow_that_crosses_a_removal_learns_of_it(agoras):
    """Lemmy's "Remove community" and "Delete community": the community is removed (or deleted) before the
    follow arrives; the follower's server is told, and hears of the restoration too."""
    alpha_admin, beta_admin = agoras(2)
    for close, field in (("/community/remove", "removed"), ("/community/delete", "deleted")):
        community = beta_admin.community()["community"]
        on_alpha = resolved(alpha_admin, community["actor_id"], "community")["community"]["id"]
        beta_admin.api.post(close, {"community_id": community["id"], field: True})
        alpha_admin.api.post("/community/follow", {"community_id": on_alpha, "follow": True})

        def state(c=on_alpha, f=field) -> bool:
            return alpha_admin.api.get("/community", id=c)["community_view"]["community"][f]

        wait_for(state, message=f"{field} on alpha")
        beta_admin.api.post(close, {"community_id": community["id"], field: False})
        wait_for(lambda s=state: not s(), message=f"un{field} on alpha")
