import pytest

from tests.support.client import PASSWORD, Api, unique_name


class V4Member:
    """A member speaking Lemmy 1.0's API v4: registered and logged in through it."""

    def __init__(self, api: Api, name: str) -> None:
        self.name = name
        token = api.post("/account/auth/login", {"username_or_email": name, "password": PASSWORD})["jwt"]
        self.api = api.as_(token)

    def community(self, **extra) -> dict:
        name = unique_name("comm")
        return self.api.post("/community", {"name": name, "title": name.title(), **extra})["community_view"]

    def post(self, community_id: int, name: str = "A post title", **extra) -> dict:
        return self.api.post("/post", {"name": name, "community_id": community_id, **extra})["post_view"]

    def comment(self, post_id: int, content: str = "a comment", **extra) -> dict:
        return self.api.post("/comment", {"post_id": post_id, "content": content, **extra})["comment_view"]


@pytest.fixture
def v4(server) -> Api:
    return Api(server.base_url, prefix="/api/v4")


@pytest.fixture
def join(v4):
    def register(name: str | None = None) -> V4Member:
        name = name or unique_name()
        answer = v4.post(
            "/account/auth/register", {"username": name, "password": PASSWORD, "password_verify": PASSWORD}
        )
        assert answer["jwt"]
        return V4Member(v4, name)

    return register
