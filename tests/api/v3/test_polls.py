"""Polls (Agora's extension): created with a post, read on the post, voted on at /agora/poll/vote."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.clock import end_poll


def _poll(**extra):
    return {"choices": ["Red", "Green", "Blue"], **extra}


@pytest.fixture
def place(api):
    author = api.register()
    return author, author.community()["community"]["id"]


def _create(member, community_id, **poll):
    return member.api.post("/post", {"name": "Which colour?", "community_id": community_id, "poll": _poll(**poll)})


def _vote(member, post_id, *choice_ids):
    return member.api.post("/agora/poll/vote", {"post_id": post_id, "choice_ids": list(choice_ids)})["post_view"]


def test_a_post_carries_a_poll_that_members_vote_in(place, api):
    author, community_id = place
    created = _create(author, community_id)["post_view"]
    poll = created["poll"]
    assert [c["name"] for c in poll["choices"]] == ["Red", "Green", "Blue"]
    assert (poll["multiple"], poll["ended"], poll["voters"], poll["my_choices"]) == (False, False, 0, [])
    end = datetime.fromisoformat(poll["end_time"].replace("Z", "+00:00"))
    assert timedelta(days=2, hours=23) < end - datetime.now(UTC) <= timedelta(days=3)  # three days by default
    post_id, green = created["post"]["id"], poll["choices"][1]["id"]
    voted = _vote(api.register(), post_id, green)["poll"]
    assert ([c["votes"] for c in voted["choices"]], voted["voters"], voted["my_choices"]) == ([0, 1, 0], 1, [green])
    anonymous = api.get("/post", id=post_id)["post_view"]["poll"]
    assert [c["votes"] for c in anonymous["choices"]] == [0, 1, 0] and "my_choices" not in anonymous
    assert author.api.get("/post", id=post_id)["post_view"]["poll"]["my_choices"] == []


def test_a_choice_once_made_stays(place, api):
    author, community_id = place
    poll = _create(author, community_id)["post_view"]
    post_id, (red, green, _blue) = poll["post"]["id"], [c["id"] for c in poll["poll"]["choices"]]
    voter = api.register()
    _vote(voter, post_id, red)
    assert voter.api.error("POST", "/agora/poll/vote", {"post_id": post_id, "choice_ids": [green]}) == (
        400,
        "already_voted",
    )
    assert voter.api.error("POST", "/agora/poll/vote", {"post_id": post_id, "choice_ids": [red]}) == (
        400,
        "already_voted",
    )
    assert voter.api.error("POST", "/agora/poll/vote", {"post_id": post_id, "choice_ids": [red, green]})[1] == (
        "invalid_poll_choice"
    )  # one choice in a single-choice poll
    after = api.get("/post", id=post_id)["post_view"]["poll"]
    assert ([c["votes"] for c in after["choices"]], after["voters"]) == ([1, 0, 0], 1)


def test_a_multiple_choice_poll_adds_choices_and_counts_each_voter_once(place, api):
    author, community_id = place
    created = _create(author, community_id, multiple=True)["post_view"]
    post_id, (red, green, blue) = created["post"]["id"], [c["id"] for c in created["poll"]["choices"]]
    assert created["poll"]["multiple"] is True
    voter = api.register()
    assert _vote(voter, post_id, red, green)["poll"]["my_choices"] == [red, green]
    assert voter.api.error("POST", "/agora/poll/vote", {"post_id": post_id, "choice_ids": [green]})[1] == (
        "already_voted"
    )
    poll = _vote(voter, post_id, blue)["poll"]
    assert ([c["votes"] for c in poll["choices"]], poll["voters"]) == ([1, 1, 1], 1)
    poll = _vote(api.register(), post_id, blue)["poll"]
    assert ([c["votes"] for c in poll["choices"]], poll["voters"]) == ([1, 1, 2], 2)


def test_an_ended_poll_takes_no_vote(place, api, server):
    author, community_id = place
    created = _create(author, community_id)["post_view"]
    post_id, red = created["post"]["id"], created["poll"]["choices"][0]["id"]
    end_poll(server, post_id)
    assert api.register().api.error("POST", "/agora/poll/vote", {"post_id": post_id, "choice_ids": [red]}) == (
        400,
        "poll_ended",
    )
    poll = api.get("/post", id=post_id)["post_view"]["poll"]
    assert poll["ended"] is True and poll["voters"] == 0


@pytest.mark.parametrize(
    ("poll", "why"),
    [
        ({"choices": ["only one"]}, "one choice"),
        ({"choices": [f"c{i}" for i in range(21)]}, "21 choices"),
        ({"choices": ["same", " same "]}, "two alike"),
        ({"choices": ["ok", ""]}, "an empty choice"),
        ({"choices": ["ok", "x" * 201]}, "a choice of 201 characters"),
        ({"choices": ["a", "b"], "end_time": "2020-01-01T00:00:00Z"}, "an end in the past"),
        ({"choices": ["a", "b"], "end_time": "2099-01-01T00:00:00Z"}, "an end past 31 days"),
        ({"choices": ["a", "b"], "end_time": "2030-01-01T00:00:00"}, "an end without a time zone"),
    ],
)
def test_a_poll_outside_the_limits_is_refused_and_no_post_is_made(place, poll, why):
    author, community_id = place
    body = {"name": "A refused poll", "community_id": community_id, "poll": poll}
    assert author.api.error("POST", "/post", body) == (400, "invalid_poll"), why
    posts = author.api.get("/post/list", community_id=community_id, sort="New")["posts"]
    assert [p["post"]["name"] for p in posts] == []


def test_votes_on_what_is_not_a_poll_or_not_a_choice_are_refused(place, api):
    author, community_id = place
    plain = author.post(community_id, name="No poll here")["post"]["id"]
    poll = _create(author, community_id)["post_view"]
    voter = api.register()
    assert voter.api.error("POST", "/agora/poll/vote", {"post_id": plain, "choice_ids": [1]})[1] == "couldnt_find_poll"
    assert "poll" not in api.get("/post", id=plain)["post_view"]
    other = _create(author, community_id)["post_view"]["poll"]["choices"][0]["id"]
    body = {"post_id": poll["post"]["id"], "choice_ids": [other]}
    assert voter.api.error("POST", "/agora/poll/vote", body)[1] == "invalid_poll_choice"
    assert voter.api.error("POST", "/agora/poll/vote", {"post_id": poll["post"]["id"], "choice_ids": []})[1] == (
        "invalid_poll_choice"
    )


def test_a_deleted_poll_takes_no_vote_and_a_banned_member_cannot_vote(place, api):
    author, community_id = place
    created = _create(author, community_id)["post_view"]
    post_id, red = created["post"]["id"], created["poll"]["choices"][0]["id"]
    banned = api.register()
    author.api.post("/community/ban_user", {"community_id": community_id, "person_id": banned.person_id, "ban": True})
    assert banned.api.error("POST", "/agora/poll/vote", {"post_id": post_id, "choice_ids": [red]})[1] == (
        "banned_from_community"
    )
    author.api.post("/post/delete", {"post_id": post_id, "deleted": True})
    assert api.register().api.error("POST", "/agora/poll/vote", {"post_id": post_id, "choice_ids": [red]})[1] == (
        "deleted"
    )


def test_concurrent_votes_keep_exact_counts(place, api):
    author, community_id = place
    created = _create(author, community_id, multiple=True)["post_view"]
    post_id, ids = created["post"]["id"], [c["id"] for c in created["poll"]["choices"]]
    voters = [api.register() for _ in range(12)]

    def vote(i_voter):
        i, voter = i_voter
        _vote(voter, post_id, *ids[: 1 + i % 3])

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(vote, enumerate(voters)))
    poll = api.get("/post", id=post_id)["post_view"]["poll"]
    assert ([c["votes"] for c in poll["choices"]], poll["voters"]) == ([12, 8, 4], 12)
