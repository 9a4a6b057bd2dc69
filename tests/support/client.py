"""A thin Lemmy API v3 client for tests: real HTTP, real tokens, readable helpers."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import httpx

PASSWORD = "correct horse battery"
_names = itertools.count(1)


def unique_name(prefix: str = "user") -> str:
    return f"{prefix}{next(_names)}"


class ApiError(AssertionError):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"{response.request.method} {response.request.url} → {response.status_code} {response.text}")
        self.response = response


@dataclass
class Api:
    base_url: str
    token: str | None = None
    prefix: str = "/api/v3"  # or "/api/v4", Lemmy 1.0's

    def _client(self) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return httpx.Client(base_url=f"{self.base_url}{self.prefix}", headers=headers, timeout=30)

    def request(self, method: str, path: str, body: Any = None, **params: Any) -> httpx.Response:
        query = {k: _q(v) for k, v in params.items() if v is not None}
        with self._client() as client:
            if method == "GET":
                return client.get(path, params=query)
            return client.request(method, path, json=body if body is not None else {})

    def get(self, path: str, **params: Any) -> dict:
        return self.ok(self.request("GET", path, **params))

    def post(self, path: str, body: Any = None) -> dict:
        return self.ok(self.request("POST", path, body))

    def put(self, path: str, body: Any = None) -> dict:
        return self.ok(self.request("PUT", path, body))

    @staticmethod
    def ok(response: httpx.Response) -> Any:
        if response.status_code != 200:
            raise ApiError(response)
        return response.json()

    def error(self, method: str, path: str, body: Any = None, **params: Any) -> tuple[int, str]:
        """Make a request that must fail; answers (status, Lemmy error code)."""
        response = self.request(method, path, body, **params)
        assert response.status_code >= 400, f"expected an error, got {response.status_code} {response.text}"
        return response.status_code, response.json()["error"]

    def as_(self, token: str | None) -> Api:
        return Api(self.base_url, token, self.prefix)

    # --- helpers that read as sentences in tests -------------------------------------------------------------------
    def register(self, name: str | None = None, password: str = PASSWORD, **extra: Any) -> Member:
        name = name or unique_name()
        body = {"username": name, "password": password, "password_verify": password, **extra}
        response = self.post("/user/register", body)
        member = Member(Api(self.base_url, response.get("jwt")), name, None)
        if response.get("jwt"):
            member.person_id = member.api.get("/site")["my_user"]["local_user_view"]["person"]["id"]
        return member

    def login(self, name: str, password: str = PASSWORD) -> Member:
        token = self.post("/user/login", {"username_or_email": name, "password": password})["jwt"]
        api = Api(self.base_url, token)
        person_id = api.get("/site")["my_user"]["local_user_view"]["person"]["id"]
        return Member(api, name, person_id)


@dataclass
class Member:
    api: Api
    name: str
    person_id: int | None

    @property
    def token(self) -> str | None:
        return self.api.token

    def community(self, name: str | None = None, **extra: Any) -> dict:
        name = name or unique_name("comm")
        return self.api.post("/community", {"name": name, "title": extra.pop("title", name.title()), **extra})[
            "community_view"
        ]

    def post(self, community_id: int, name: str = "A post title", **extra: Any) -> dict:
        return self.api.post("/post", {"name": name, "community_id": community_id, **extra})["post_view"]

    def comment(self, post_id: int, content: str = "a comment", parent_id: int | None = None, **extra: Any) -> dict:
        body = {"post_id": post_id, "content": content, **extra}
        if parent_id is not None:
            body["parent_id"] = parent_id
        return self.api.post("/comment", body)["comment_view"]

    def vote_post(self, post_id: int, score: int) -> dict:
        return self.api.post("/post/like", {"post_id": post_id, "score": score})["post_view"]

    def vote_comment(self, comment_id: int, score: int) -> dict:
        return self.api.post("/comment/like", {"comment_id": comment_id, "score": score})["comment_view"]


def _q(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
