"""One instance as a cluster, as README's "Running a cluster" sets it up: Debian's nginx balancing across three
`agora serve` hosts that share a PostgreSQL primary (anonymous reads on its streaming replica), one Redis and one
S3 bucket (moto's server). Everything goes through nginx, whose `X-Upstream` names the host that answered: writes
land on every host, an image comes back the same from each, rate limits and login limits are spent across hosts, a
rename, a ban and a block show everywhere within a second, each scheduled job runs on one host at a time, a second
instance following a community gets each activity once, and when a host is SIGKILLed, even under load, the other
two carry on and every acknowledged write is there once."""

from __future__ import annotations

import asyncio
import io
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import asyncpg
import httpx
import pytest
from PIL import Image

from agora.domain.rate_limits import LOGIN_ACCOUNT
from tests.conftest import ENGINE, free_port
from tests.ops.scrape import scrape, value
from tests.support.client import PASSWORD, Api, Member, unique_name
from tests.support.images import upload
from tests.support.nginx import NGINX, Balancer, running_nginx
from tests.support.pgcluster import primary_with_standby
from tests.support.process import ServedInstance, served_on_one_database
from tests.support.s3 import KEY_ID, S3, SECRET, running_s3

pytestmark = [
    pytest.mark.skipif(ENGINE != "postgres", reason="a cluster shares a PostgreSQL primary and its replica"),
    pytest.mark.skipif(NGINX is None, reason="Debian's nginx is not installed (scripts/test.sh installs it)"),
    pytest.mark.slow,
]

REDIS = "redis://127.0.0.1:6379/0"
PREFIX = "media"
# Caches that would keep an old answer for a minute unless the hosts tell each other of their writes.
LONG_CACHES = {"AGORA_SETTINGS_CACHE_SECONDS": "60", "AGORA_ANONYMOUS_CACHE_SECONDS": "60"}
# Loopback and plain http between the cluster and a second instance, and delivery workers that look often.
FEDERATING = {"AGORA_FEDERATION_DEBUG": "1", "AGORA_FEDERATION_POLL_SECONDS": "0.1"}
RANKS_EVERY = 2  # seconds between two runs of the scheduler's `ranks` job


@dataclass
class Cluster:
    nginx: Balancer
    hosts: list[ServedInstance]
    s3: S3
    bucket: str

    def host_named(self, upstream: str) -> ServedInstance:
        return next(h for h in self.hosts if upstream == f"127.0.0.1:{h.port}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    workdir = tmp_path_factory.mktemp("cluster")
    ports = [free_port() for _ in range(3)]
    hosts: list[ServedInstance] = []
    with (
        primary_with_standby("agora") as (primary, standby),
        running_s3() as s3,
        running_nginx(free_port(), ports) as nginx,
    ):
        bucket = s3.new_bucket()
        env = {
            "AGORA_HOSTNAME": nginx.hostname,
            "AGORA_DATABASE_REPLICA_URLS": standby.url("agora"),
            "AGORA_REDIS_URL": REDIS,
            "AGORA_MEDIA_URL": f"s3://{bucket}/{PREFIX}",
            "AGORA_S3_ENDPOINT_URL": s3.endpoint,
            "AGORA_S3_ACCESS_KEY_ID": KEY_ID,
            "AGORA_S3_SECRET_ACCESS_KEY": SECRET,
            "AGORA_S3_ADDRESSING_STYLE": "path",
            "AGORA_RATE_LIMITS_ENABLED": "1",
            **LONG_CACHES,
            **FEDERATING,
            "AGORA_RANK_REFRESH_SECONDS": str(RANKS_EVERY),
        }
        hosts.extend(ServedInstance(primary.url("agora"), port, workdir, **env) for port in ports)
        try:
            hosts[0].start()  # migrates the database and makes the operator
            with ThreadPoolExecutor() as starting:
                list(starting.map(ServedInstance.start, hosts[1:]))
            # Every member and community here is made from one address, more than Lemmy's 10 an hour.
            hosts[0].api().login("operator").api.put("/site", {"rate_limit_register": 100})
            yield Cluster(nginx, hosts, s3, bucket)
        finally:
            for host in hosts:
                host.kill()


def _through(api: Api, method: str, path: str, body: dict | None = None, **query) -> tuple[httpx.Response, str]:
    """One request through nginx: the answer and the host that gave it (after any it tried and found down)."""
    response = api.request(method, path, body, **query)
    return response, response.headers["x-upstream"].rsplit(", ", 1)[-1]


def _ok(answered: tuple[httpx.Response, str]) -> dict:
    return Api.ok(answered[0])


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _site_name(base_url: str) -> str:
    return httpx.get(f"{base_url}/api/v3/site", timeout=15).json()["site_view"]["site"]["name"]


def _register(nginx: Balancer) -> tuple[Member, str]:
    name = unique_name()
    body = {"username": name, "password": PASSWORD, "password_verify": PASSWORD}
    response, host = _through(nginx.api(), "POST", "/user/register", body)
    return Member(nginx.api(Api.ok(response)["jwt"]), name, None), host


def test_members_write_through_nginx_and_every_host_takes_writes(cluster):
    author, registered_on = _register(cluster.nginx)
    reader, _ = _register(cluster.nginx)
    writes = [registered_on]
    answered = _through(author.api, "POST", "/community", {"name": unique_name("comm"), "title": "Clustered"})
    community_id = _ok(answered)["community_view"]["community"]["id"]
    writes.append(answered[1])
    answered = _through(author.api, "POST", "/post", {"name": "Across hosts", "community_id": community_id})
    post_id = _ok(answered)["post_view"]["post"]["id"]
    writes.append(answered[1])
    answered = _through(reader.api, "POST", "/comment", {"post_id": post_id, "content": "seen from afar"})
    comment_id = _ok(answered)["comment_view"]["comment"]["id"]
    writes.append(answered[1])
    for answered in (
        _through(reader.api, "POST", "/post/like", {"post_id": post_id, "score": 1}),
        _through(author.api, "POST", "/comment/like", {"comment_id": comment_id, "score": 1}),
    ):
        _ok(answered)
        writes.append(answered[1])
    assert set(writes) == {f"127.0.0.1:{host.port}" for host in cluster.hosts}

    for host in cluster.hosts:  # each host reads what the others wrote (a member's reads go to the primary)
        seen = host.api(reader.token).get("/post", id=post_id)["post_view"]
        assert seen["counts"]["comments"] == 1
        assert seen["counts"]["upvotes"] == 2  # the author's own and the reader's
        comments = host.api(reader.token).get("/comment/list", post_id=post_id)["comments"]
        assert [(c["comment"]["content"], c["counts"]["score"]) for c in comments] == [("seen from afar", 2)]


def test_an_image_uploaded_through_one_host_is_served_the_same_by_every_host(cluster):
    member, _ = _register(cluster.nginx)
    response = upload(cluster.nginx, member.token, _png())
    assert response.status_code == 200, response.text
    name = response.json()["files"][0]["file"]
    uploaded_on = cluster.host_named(response.headers["x-upstream"])
    stored, _ = cluster.s3.body(cluster.bucket, f"{PREFIX}/{name}")
    others = [host for host in cluster.hosts if host is not uploaded_on]
    for base_url in [cluster.nginx.base_url, *(host.base_url for host in others)]:
        served = httpx.get(f"{base_url}/pictrs/image/{name}", timeout=15)
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/png"
        assert served.content == stored
    Image.open(io.BytesIO(stored)).verify()


def test_failed_logins_for_one_account_are_counted_across_hosts(cluster):
    victim, _ = _register(cluster.nginx)
    allowed = LOGIN_ACCOUNT[1]
    answers = [
        _through(cluster.nginx.api(), "POST", "/user/login", {"username_or_email": victim.name, "password": "wrong"})
        for _ in range(allowed + 1)
    ]
    assert [r.status_code for r, _ in answers] == [401] * allowed + [429], [r.text for r, _ in answers]
    assert len({host for _, host in answers[:allowed]}) >= 2
    assert answers[-1][0].json()["error"] == "rate_limit_error"
    for host in cluster.hosts:  # even the right password waits, whichever host hears it
        right = {"username_or_email": victim.name, "password": PASSWORD}
        assert host.api().request("POST", "/user/login", right).status_code == 429


def _within(seconds: float, holds: Callable[[], bool]) -> None:
    """Polls `holds()` until it is true; fails once `seconds` have passed without."""
    started = time.monotonic()
    while not holds():
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        time.sleep(0.02)


def _on_every(hosts: list[ServedInstance], holds: Callable[[ServedInstance], bool], seconds: float) -> None:
    """`holds(host)` turns true on every host within `seconds` of now."""
    waiting = list(hosts)

    def none_waiting() -> bool:
        waiting[:] = [host for host in waiting if not holds(host)]
        return not waiting

    _within(seconds, none_waiting)


def test_a_ban_and_a_block_made_on_host_1_hold_on_hosts_2_and_3_within_a_second(cluster):
    operator = cluster.hosts[0].api().login("operator")
    others = cluster.hosts[1:]
    banned = cluster.hosts[0].api().register()
    blocked = cluster.hosts[0].api().register()
    banned_community = banned.community()["community"]["id"]  # its moderator is not held by the post limit
    blocked_community = blocked.community()["community"]["id"]
    blocked_post = blocked.post(blocked_community, "Soon hidden")["post"]["id"]
    for host in others:  # each host has seen both members and the blocker's listing
        assert Api.ok(
            host.api(banned.token).request("POST", "/post", {"name": "Before", "community_id": banned_community})
        )
        listed = host.api(operator.token).get("/post/list", community_id=blocked_community)["posts"]
        assert [p["post"]["id"] for p in listed] == [blocked_post]

    operator.api.post("/user/ban", {"person_id": banned.person_id, "ban": True, "reason": "spam"})

    def post_refused(host: ServedInstance) -> bool:
        body = {"name": "After the ban", "community_id": banned_community}
        response = host.api(banned.token).request("POST", "/post", body)
        assert response.status_code in (200, 400, 401, 403), response.text  # refused for the ban, not a limit
        return response.status_code != 200

    _on_every(others, post_refused, 1.0)
    assert post_refused(cluster.hosts[0])

    operator.api.post("/user/block", {"person_id": blocked.person_id, "block": True})

    def post_hidden(host: ServedInstance) -> bool:
        listed = host.api(operator.token).get("/post/list", community_id=blocked_community)["posts"]
        return blocked_post not in [p["post"]["id"] for p in listed]

    _on_every(others, post_hidden, 1.0)
    assert post_hidden(cluster.hosts[0])


def _job_runs(host: ServedInstance, job: str) -> float:
    return value(scrape(host.base_url), "agora_job_runs_total", job=job, outcome="ok") or 0.0


def test_each_scheduled_job_tick_runs_on_one_host_only(cluster):
    window = 4 * RANKS_EVERY
    before = [_job_runs(host, "ranks") for host in cluster.hosts]
    time.sleep(window)
    after = [_job_runs(host, "ranks") for host in cluster.hosts]
    ran = [b - a for a, b in zip(before, after, strict=True)]
    assert sum(1 for n in ran if n) == 1, f"ranks ran on several hosts: {ran}"  # the lease stayed with one
    assert window / RANKS_EVERY - 2 <= sum(ran) <= window / RANKS_EVERY + 1, ran  # one runner's ticks, not three


def _inbox_posts(base_url: str) -> float:
    return sum(
        count
        for (name, labels), count in scrape(base_url).items()
        if name == "agora_http_requests_total"
        and dict(labels)["method"] == "POST"
        and dict(labels)["route"].endswith("inbox")
    )


def _deliveries_sent(cluster: Cluster) -> float:
    """Deliveries the hosts' workers made, summed across the cluster."""
    samples = [scrape(host.base_url) for host in cluster.hosts]
    return sum(value(sample, "agora_federation_deliveries_total", outcome="sent") or 0.0 for sample in samples)


def _announced(database_url: str, object_id: str) -> list[str]:
    """The type of each activity an Announce received by that database wraps, about `object_id`."""

    async def kinds() -> list[str]:
        connection = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            statement = (
                "SELECT data::jsonb #>> '{object,type}' FROM received_activity"
                " WHERE kind = 'Announce' AND strpos(data, $1) > 0 ORDER BY id"
            )
            return [row[0] for row in await connection.fetch(statement, f'"{object_id}"')]
        finally:
            await connection.close()

    return asyncio.run(kinds())


def test_a_second_instance_following_a_community_gets_each_post_once(cluster, databases, tmp_path):
    author, _ = _register(cluster.nginx)
    community = author.community()["community"]
    with served_on_one_database(databases, tmp_path, free_port) as start:
        remote = start(**FEDERATING, AGORA_SCHEDULER_ENABLED="0")
        follower = remote.api().login("operator")
        found = follower.api.get("/resolve_object", q=community["actor_id"])["community"]["community"]
        follower.api.post("/community/follow", {"community_id": found["id"], "follow": True})

        def subscribed() -> bool:
            view = follower.api.get("/community", id=found["id"])["community_view"]
            return view["subscribed"] == "Subscribed"

        _within(30, subscribed)
        time.sleep(1)  # the Accept's delivery has been counted
        inbox_before = _inbox_posts(remote.base_url)
        sent_before = _deliveries_sent(cluster)

        answered = _through(author.api, "POST", "/post", {"name": "Federated once", "community_id": community["id"]})
        post = _ok(answered)["post_view"]["post"]

        def listed() -> list:
            return follower.api.get("/post/list", community_id=found["id"], type_="All")["posts"]

        _within(30, lambda: bool(listed()))
        time.sleep(3)  # time for any second delivery by another host's worker
        assert [p["post"]["ap_id"] for p in listed()] == [post["ap_id"]]
        announced = _announced(remote.env["AGORA_DATABASE_URL"], post["ap_id"])
        assert sorted(announced) == ["Create", "Page"]  # Lemmy's Announce { Create }, and the bare one microblogs read
        assert _inbox_posts(remote.base_url) - inbox_before == len(announced)  # and no activity came twice
        assert _deliveries_sent(cluster) - sent_before == len(announced)  # by whichever host, once each


def test_a_rate_limit_is_spent_across_hosts(cluster):
    operator = cluster.nginx.api().login("operator")
    member, _ = _register(cluster.nginx)
    community_id = operator.community()["community"]["id"]  # its moderators are not held by the limit
    operator.api.put("/site", {"rate_limit_post": 2, "rate_limit_post_per_second": 3600})
    for host in cluster.hosts:  # every host has dropped its cached settings (the next test bounds how fast)
        deadline = time.monotonic() + 5
        while httpx.get(f"{host.base_url}/api/v3/site").json()["site_view"]["local_site_rate_limit"]["post"] != 2:
            assert time.monotonic() < deadline, f"{host.base_url} kept its old rate limits"
            time.sleep(0.05)
    answers = [
        _through(member.api, "POST", "/post", {"name": f"Post {n}", "community_id": community_id}) for n in range(3)
    ]
    assert [response.status_code for response, _ in answers] == [200, 200, 429]
    assert len({host for _, host in answers}) == 3
    assert answers[2][0].json()["error"] == "rate_limit_error"


def test_a_site_rename_shows_on_every_host_within_a_second(cluster):
    renamed = "Three hosts"
    for host in cluster.hosts:  # each host has the old name in its caches
        assert _site_name(host.base_url) != renamed
    cluster.nginx.api().login("operator").api.put("/site", {"name": renamed})
    written = time.monotonic()
    waiting = list(cluster.hosts)
    while waiting:
        waiting = [host for host in waiting if _site_name(host.base_url) != renamed]
        assert time.monotonic() - written < 1.0, f"still the old name on {[h.base_url for h in waiting]}"
        time.sleep(0.02)


def test_when_a_host_is_killed_the_others_keep_serving_through_nginx(cluster):
    operator = cluster.nginx.api().login("operator")  # admins are not held by the post limit set above
    community_id = operator.community()["community"]["id"]
    killed = cluster.hosts[1]
    killed.kill()
    survivors = {f"127.0.0.1:{host.port}" for host in cluster.hosts if host is not killed}

    answered_by = []
    for n in range(6):
        answered = _through(
            operator.api, "POST", "/post", {"name": f"After the kill {n}", "community_id": community_id}
        )
        post_id = _ok(answered)["post_view"]["post"]["id"]
        answered_by.append(answered[1])
        read = _through(operator.api, "GET", "/post", id=post_id)  # a member reads their own write at once
        assert _ok(read)["post_view"]["post"]["name"] == f"After the kill {n}"
        answered_by.append(read[1])
        anonymous = _through(cluster.nginx.api(), "GET", "/post/list", type_="All", sort="New")
        assert _ok(anonymous)["posts"]
        answered_by.append(anonymous[1])
    assert set(answered_by) == survivors

    listed = operator.api.get("/post/list", community_id=community_id, sort="New", limit=10)["posts"]
    assert sorted(p["post"]["name"] for p in listed) == [f"After the kill {n}" for n in range(6)]
    for host in cluster.hosts:
        if host is not killed:
            assert httpx.get(f"{host.base_url}/readyz", timeout=15).status_code == 200
            assert "Traceback" not in host.log.read_text()


def test_every_acknowledged_write_is_there_once_after_a_host_is_killed_under_load(cluster):
    for host in cluster.hosts:  # the host the test above killed serves again
        if host.proc is None or host.proc.poll() is not None:
            host.start()
    operator = cluster.nginx.api().login("operator")  # admins are not held by the comment limit
    community_id = operator.community()["community"]["id"]
    post_id = operator.post(community_id, "Under load")["post"]["id"]
    killed = cluster.hosts[2]
    survivors = {f"127.0.0.1:{host.port}" for host in cluster.hosts if host is not killed}
    stop = threading.Event()
    killed_at: list[float] = []

    def write(worker: int) -> list[tuple[str, int | None, str, float]]:
        """(content, comment id when acknowledged, host, when) for each comment this worker tried."""
        tried = []
        n = 0
        while not stop.is_set():
            content = f"load {worker}-{n}"
            n += 1
            try:
                response, host = _through(operator.api, "POST", "/comment", {"post_id": post_id, "content": content})
            except httpx.HTTPError:
                tried.append((content, None, "", time.monotonic()))
                continue
            acknowledged = response.status_code == 200
            comment_id = response.json()["comment_view"]["comment"]["id"] if acknowledged else None
            tried.append((content, comment_id, host, time.monotonic()))
        return tried

    with ThreadPoolExecutor(4) as pool:
        writing = [pool.submit(write, worker) for worker in range(4)]
        time.sleep(2)
        killed.kill()
        killed_at.append(time.monotonic())
        time.sleep(3)
        stop.set()
        tried = [attempt for future in writing for attempt in future.result()]

    acknowledged = {content: comment_id for content, comment_id, _, _ in tried if comment_id is not None}
    before_kill = {host for _, comment_id, host, at in tried if comment_id is not None and at < killed_at[0]}
    assert f"127.0.0.1:{killed.port}" in before_kill  # it was taking writes when it died
    after_kill = [host for _, comment_id, host, at in tried if comment_id is not None and at > killed_at[0] + 0.5]
    assert after_kill and set(after_kill) <= survivors  # the survivors kept taking writes
    stored: list[tuple[str, int]] = []  # read as pages: one read per comment would spend the read limit
    page = 1
    while batch := operator.api.get("/comment/list", post_id=post_id, sort="New", limit=50, page=page)["comments"]:
        stored.extend((c["comment"]["content"], c["comment"]["id"]) for c in batch)
        page += 1
    contents = [content for content, _ in stored]
    duplicated = {content for content in contents if contents.count(content) > 1}
    assert not duplicated
    assert set(acknowledged.items()) <= set(stored)  # each acknowledged comment is stored under the id it was given
    for host in cluster.hosts:
        if host is not killed:
            assert httpx.get(f"{host.base_url}/readyz", timeout=15).status_code == 200
