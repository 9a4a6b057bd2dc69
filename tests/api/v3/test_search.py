"""Full-text search: finds by a word in the body, ranks a title match first, forgets deleted and removed posts,
respects blocks; communities and people by name; posts by URL."""

import pytest


@pytest.fixture
def corpus(api):
    author = api.register()
    community = author.community(title="Gardening")["community"]["id"]
    body_hit = author.post(community, name="Weekend plans", body="planting tomatoes and basil")["post"]["id"]
    title_hit = author.post(community, name="Tomatoes everywhere", body="a good year")["post"]["id"]
    author.post(community, name="Unrelated", body="nothing to see")
    return author, community, body_hit, title_hit


def test_finds_by_body_word_and_ranks_title_match_first(corpus, api):
    _, _, body_hit, title_hit = corpus
    found = api.get("/search", q="tomatoes", type_="Posts")
    assert found["type_"] == "Posts"
    assert [p["post"]["id"] for p in found["posts"]] == [title_hit, body_hit]
    assert [p["post"]["id"] for p in api.get("/search", q="basil", type_="Posts")["posts"]] == [body_hit]
    assert [p["post"]["id"] for p in api.get("/search", q="tomatoes", post_title_only=True)["posts"]] == [title_hit]


def test_deleted_and_removed_posts_are_not_found(corpus, api):
    author, _community, body_hit, title_hit = corpus
    author.api.post("/post/delete", {"post_id": body_hit, "deleted": True})
    assert [p["post"]["id"] for p in api.get("/search", q="tomatoes")["posts"]] == [title_hit]
    author.api.post("/post/remove", {"post_id": title_hit, "removed": True})
    assert api.get("/search", q="tomatoes")["posts"] == []


def test_edits_are_searchable_at_once(corpus, api):
    author, _, body_hit, _ = corpus
    author.api.put("/post", {"post_id": body_hit, "body": "now about cucumbers"})
    assert [p["post"]["id"] for p in api.get("/search", q="cucumbers")["posts"]] == [body_hit]
    assert body_hit not in [p["post"]["id"] for p in api.get("/search", q="basil")["posts"]]


def test_comments_communities_people_and_urls(corpus, api):
    author, community, body_hit, _ = corpus
    comment = author.comment(body_hit, "mulch keeps the soil moist")["comment"]["id"]
    assert [c["comment"]["id"] for c in api.get("/search", q="mulch", type_="Comments")["comments"]] == [comment]
    assert [c["community"]["id"] for c in api.get("/search", q="garden", type_="Communities")["communities"]] == [
        community
    ]
    assert [u["person"]["id"] for u in api.get("/search", q=author.name, type_="Users")["users"]] == [author.person_id]
    linked = author.post(community, name="A link", url="https://seeds.example.org/catalogue")["post"]["id"]
    assert [p["post"]["id"] for p in api.get("/search", q="seeds.example.org", type_="Url")["posts"]] == [linked]
    everything = api.get("/search", q="mulch")
    assert everything["type_"] == "All" and len(everything["comments"]) == 1


def test_blocked_people_and_communities_are_not_found(corpus, api):
    author, community, _, _ = corpus
    reader = api.register()
    reader.api.post("/user/block", {"person_id": author.person_id, "block": True})
    assert reader.api.get("/search", q="tomatoes")["posts"] == []
    other = api.register()
    other.api.post("/community/block", {"community_id": community, "block": True})
    assert other.api.get("/search", q="tomatoes")["posts"] == []
    assert len(api.get("/search", q="tomatoes")["posts"]) == 2


def test_hostile_queries_are_harmless(corpus, api):
    for q in ['"', "AND OR NOT", "tomato*", "name:tomatoes", "'); DROP TABLE post; --", "%", "_", "", "   ", "ü" * 900]:
        response = api.request("GET", "/search", q=q)
        assert response.status_code == 200, (q, response.text)
    assert len(api.get("/search", q="tomatoes")["posts"]) == 2


def test_keyword_filters_hide_matching_posts(corpus, api):
    _, community, body_hit, title_hit = corpus
    reader = api.register()
    assert reader.api.put("/agora/keyword_filter", {"keywords": ["TOMATOES", " basil ", ""]})["keywords"] == [
        "basil",
        "tomatoes",
    ]
    listed = {p["post"]["id"] for p in reader.api.get("/post/list", community_id=community)["posts"]}
    assert body_hit not in listed and title_hit not in listed and len(listed) == 1
    assert reader.api.get("/search", q="tomatoes")["posts"] == []
    assert reader.api.get("/agora/keyword_filter")["keywords"] == ["basil", "tomatoes"]
    reader.api.put("/agora/keyword_filter", {"keywords": []})
    assert len(reader.api.get("/post/list", community_id=community)["posts"]) == 3
    assert len(api.get("/post/list", community_id=community)["posts"]) == 3  # others were never affected


def test_search_everything_by_community_and_creator(api):
    author, other = api.register(), api.register()
    community = author.community()["community"]["id"]
    post = author.post(community, "Zeppelin sightings")["post"]["id"]
    author.comment(post, "zeppelin over the harbour")
    other.post(community, "Zeppelin repairs")
    found = api.get("/search", q="zeppelin", type_="All", community_id=community, creator_id=author.person_id)
    assert [p["post"]["id"] for p in found["posts"]] == [post]
    assert [c["comment"]["post_id"] for c in found["comments"]] == [post]
