"""A server killed with SIGKILL while accepting writes restarts with every acknowledged write present, once."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.support.client import PASSWORD, Api, unique_name
from tests.support.process import ServedInstance


def test_sigkill_under_write_load_loses_no_acknowledged_write(served, record_property):
    first = served()
    api = first.api()
    owner = api.register()
    community_id = owner.community()["community"]["id"]
    writers = [api.register() for _ in range(6)]
    acknowledged_posts: dict[str, int] = {}
    acknowledged_comments: dict[str, int] = {}
    acknowledged_votes: list[tuple[int, int]] = []  # (post id, voter index)
    lock = threading.Lock()
    stop = threading.Event()

    def work(index: int) -> None:
        member = writers[index]
        client = httpx.Client(
            base_url=f"{first.base_url}/api/v3", headers={"Authorization": f"Bearer {member.token}"}, timeout=10
        )
        n = 0
        while not stop.is_set():
            n += 1
            title = f"crash-{index}-{n}"
            try:
                response = client.post("/post", json={"name": title, "community_id": community_id})
                if response.status_code == 200:
                    post_id = response.json()["post_view"]["post"]["id"]
                    with lock:
                        acknowledged_posts[title] = post_id
                    content = f"comment-{index}-{n}"
                    response = client.post("/comment", json={"post_id": post_id, "content": content})
                    if response.status_code == 200:
                        with lock:
                            acknowledged_comments[content] = response.json()["comment_view"]["comment"]["id"]
                    target = list(acknowledged_posts.values())[n % len(acknowledged_posts)]
                    response = client.post("/post/like", json={"post_id": target, "score": 1})
                    if response.status_code == 200:
                        with lock:
                            acknowledged_votes.append((target, index))
            except httpx.HTTPError:
                return  # the server died under us: that request's outcome is unknown, and it was not acknowledged

    with ThreadPoolExecutor(max_workers=len(writers)) as pool:
        futures = [pool.submit(work, i) for i in range(len(writers))]
        time.sleep(4)
        first.kill()
        stop.set()
        for future in futures:
            future.result(timeout=30)

    assert len(acknowledged_posts) > 10, "the load did not get going"
    # The figures, for the record (pytest --junitxml): what was acknowledged before the kill, all checked after.
    record_property(
        "acknowledged",
        {"posts": len(acknowledged_posts), "comments": len(acknowledged_comments), "votes": len(acknowledged_votes)},
    )
    second = ServedInstance(served.url, first.port, first.workdir).start()
    try:
        reader = second.api()
        for title, post_id in acknowledged_posts.items():
            assert reader.get("/post", id=post_id)["post_view"]["post"]["name"] == title
        for content, comment_id in acknowledged_comments.items():
            assert reader.get("/comment", id=comment_id)["comment_view"]["comment"]["content"] == content
        listed = _all_posts(reader, community_id)
        titles = [p["post"]["name"] for p in listed]
        assert len(titles) == len(set(titles)), "a post was stored twice"
        community = reader.get("/community", id=community_id)["community_view"]
        assert community["counts"]["posts"] == len(listed)
        for view in listed:
            comments = reader.get("/comment/list", post_id=view["post"]["id"], limit=50)["comments"]
            assert view["counts"]["comments"] == len(comments)
            assert view["counts"]["score"] == view["counts"]["upvotes"] - view["counts"]["downvotes"]
        for post_id, index in acknowledged_votes:
            assert (
                reader.as_(Api(second.base_url).login(writers[index].name).token).get("/post", id=post_id)["post_view"][
                    "my_vote"
                ]
                == 1
            )
        # And the instance takes writes again.
        again = Api(second.base_url).register(unique_name(), PASSWORD)
        again.post(community_id, "after the crash")
    finally:
        second.kill()


def _all_posts(api, community_id):
    posts, cursor = [], None
    while True:
        page = api.get("/post/list", community_id=community_id, sort="New", limit=50, page_cursor=cursor)
        if not page["posts"]:
            return posts
        posts += page["posts"]
        cursor = page["next_page"]
