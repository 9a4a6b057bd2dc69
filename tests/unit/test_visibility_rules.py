"""queries.visibility's rule as a table: each kind of reader against each state of a community and a post."""

from __future__ import annotations

import pytest

from agora.queries import visibility
from agora.queries.viewer import Viewer


def _viewer(person_id: int, *, admin: bool = False) -> Viewer:
    return Viewer(
        local_user_id=person_id,
        person_id=person_id,
        name=f"p{person_id}",
        admin=admin,
        show_nsfw=False,
        show_bot_accounts=True,
        show_read_posts=True,
        default_sort_type="Hot",
        default_listing_type="All",
        token="t",
    )


ANONYMOUS, REMOTE, MEMBER, AUTHOR, ADMIN = None, visibility.REMOTE, _viewer(1), _viewer(2), _viewer(3, admin=True)
READERS = {"anonymous": ANONYMOUS, "remote": REMOTE, "member": MEMBER, "author": AUTHOR, "admin": ADMIN}


def _community(visibility_: str = "Public", **state) -> dict:
    return {"visibility": visibility_, "deleted": False, "removed": False, "local": True, **state}


# (community, who sees it)
COMMUNITIES = [
    (_community(), {"anonymous", "remote", "member", "author", "admin"}),
    (_community("LocalOnly"), {"member", "author", "admin"}),
    (_community(removed=True), {"admin"}),
    (_community("LocalOnly", deleted=True), {"admin"}),
    (_community("Private"), {"anonymous", "remote", "member", "author", "admin"}),
]


@pytest.mark.parametrize(("community", "seen_by"), COMMUNITIES)
def test_who_sees_a_community(community, seen_by):
    assert {name for name, who in READERS.items() if visibility.may_see_community(who, community)} == seen_by


# (post state, its community, moderator of it, who sees it)
POSTS = [
    ({}, _community(), False, {"anonymous", "remote", "member", "author", "admin"}),
    ({}, _community("LocalOnly"), False, {"member", "author", "admin"}),
    ({"removed": True}, _community(), False, {"author", "admin"}),
    ({"removed": True}, _community(), True, {"member", "author", "admin"}),  # "member" moderates here
    ({"deleted": True}, _community(), True, {"author", "admin"}),
    ({"removed": True}, _community("LocalOnly"), False, {"author", "admin"}),
]


@pytest.mark.parametrize(("state", "community", "member_moderates", "seen_by"), POSTS)
def test_who_sees_a_post(state, community, member_moderates, seen_by):
    post = {"creator_id": AUTHOR.person_id, "removed": False, "deleted": False, **state}
    seen = {
        name
        for name, who in READERS.items()
        if visibility.may_see_post(who, post, community, is_mod=member_moderates and who is MEMBER, approved=False)
    }
    assert seen == seen_by


# (post state, who of the readers follows the Private community with an approved follow (or moderates it), who
# sees the post): the community itself stays visible to all, its content to its approved readers only
PRIVATE_POSTS = [
    ({}, set(), set()),
    ({}, {"member", "author"}, {"member", "author"}),
    ({}, {"remote", "anonymous"}, set()),  # approval is a member's: a remote reader is never one here
    ({"removed": True}, {"member", "author"}, {"author"}),
]


@pytest.mark.parametrize(("state", "approved", "seen_by"), PRIVATE_POSTS)
def test_who_sees_a_post_of_a_private_community(state, approved, seen_by):
    community = _community("Private")
    post = {"creator_id": AUTHOR.person_id, "removed": False, "deleted": False, **state}
    seen = {
        name
        for name, who in READERS.items()
        if visibility.may_see_post(who, post, community, is_mod=False, approved=name in approved)
    }
    assert seen == seen_by
    assert {name for name, who in READERS.items() if visibility.may_see_community(who, community)} == set(READERS)


@pytest.mark.parametrize(
    ("private", "federation", "members_only", "federates"),
    [(False, True, False, True), (False, False, False, False), (True, False, True, False), (True, True, True, False)],
)
def test_a_private_instance_serves_members_only_and_never_federates(private, federation, members_only, federates):
    site = {"private_instance": private, "federation_enabled": federation}
    assert {name for name, who in READERS.items() if not visibility.may_read_site(who, site)} == (
        {"anonymous", "remote"} if members_only else set()
    )
    assert visibility.federates(site) is federates
    assert visibility.federated_community(_community()) and not visibility.federated_community(_community("LocalOnly"))
