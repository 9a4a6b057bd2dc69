"""`agora import lemmy` as an operator runs it: a Lemmy 0.19 database in, an Agora instance that answers as the
old one did (ids, keys, threads, moderators, follows, passwords) out, on either engine as the target."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from tests.importers.lemmy_source import PASSWORDS, LemmySource

AGORA = str(Path(sys.executable).with_name("agora"))
DOMAIN = "lemmy.test"
AP = {"Accept": "application/activity+json"}


def agora_import(target: str, *args: str, hostname: str = DOMAIN) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AGORA, "import", "lemmy", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "AGORA_DATABASE_URL": target, "AGORA_HOSTNAME": hostname, "COLUMNS": "200"},
        timeout=300,
    )


@pytest.fixture
def lemmy():
    source = LemmySource(DOMAIN).create()
    yield source
    source.drop()


@pytest.fixture
def target(databases):
    url = databases.new()
    yield url
    databases.drop(url)


def stored_hash(live, name: str) -> str:
    from agora.db.models import LocalUser, Person

    async def read() -> str:
        async with live.state.db.read() as session:
            query = select(LocalUser.password_encrypted).join(Person, Person.id == LocalUser.person_id)
            return (await session.execute(query.where(Person.name == name))).scalar_one()

    return live.run(read)


def test_imported_instance_answers_as_the_old_one(lemmy, databases, server_factory):
    lemmy.fill()
    url = databases.new()
    done = agora_import(url, lemmy.url)
    assert done.returncode == 0, done.stderr
    assert "skipped 1 row(s) of local_image" in done.stdout
    assert "not copied: captcha_answer" in done.stdout

    checked = agora_import(url, lemmy.url, "--check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "DIFFERS" not in checked.stdout and "tables match" in checked.stdout.splitlines()[-1]
    assert any(
        line.split()[0:5] == ["local_image", "local_image", "2", "1", "1"]
        for line in checked.stdout.splitlines()
        if "local_image" in line
    )

    live = server_factory(database_url=url, hostname=DOMAIN, set_up=False)
    api = live.api()

    post = api.get("/post", id=10)["post_view"]
    assert post["post"]["ap_id"] == f"https://{DOMAIN}/post/10"
    assert post["post"]["published"].startswith("2023-07-01T12:00:00")
    assert post["creator"]["name"] == "alice" and post["community"]["name"] == "cats"
    assert (post["counts"]["upvotes"], post["counts"]["downvotes"], post["counts"]["comments"]) == (2, 1, 4)
    controversial = api.get("/post/list", community_id=3, sort="Controversial")["posts"]
    assert [p["post"]["id"] for p in controversial] == [10, 11]  # 2 up and 1 down against 1 down

    comments = {c["comment"]["id"]: c for c in api.get("/comment/list", post_id=10, max_depth=8)["comments"]}
    assert {i: c["comment"]["path"] for i, c in comments.items()} == {
        100: "0.100",
        101: "0.100.101",
        102: "0.100.101.102",
        103: "0.103",
    }
    assert comments[100]["counts"]["child_count"] == 2 and comments[100]["counts"]["score"] == 2
    assert comments[101]["comment"]["ap_id"] == "https://remote.example/comment/9"

    community = api.get("/community", name="cats")
    assert [m["moderator"]["name"] for m in community["moderators"]] == ["alice", "bob"]
    assert community["community_view"]["counts"]["subscribers"] == 3

    site = api.get("/site")
    assert site["site_view"]["site"]["name"] == "Old Lemmy"
    assert [t["content"] for t in site["taglines"]] == ["Welcome home"]
    assert site["site_view"]["local_site_rate_limit"]["post"] == 2
    assert site["custom_emojis"][0]["keywords"][0]["keyword"] == "celebrate"

    # Sessions go on: an app logged in on Lemmy is still logged in, and its hidden posts stay hidden.
    bob = api.as_(lemmy.session)
    assert bob.get("/site")["my_user"]["local_user_view"]["person"]["name"] == "bob"
    assert [p["post"]["id"] for p in bob.get("/post/list", community_id=3)["posts"]] == [10]

    # Members log in with the password they had on Lemmy; the bcrypt hash becomes an argon2 one.
    assert stored_hash(live, "alice").startswith("$2b$")
    assert api.error("POST", "/user/login", {"username_or_email": "alice", "password": "wrong"})[1] == (
        "incorrect_login"
    )
    alice = api.login("alice", PASSWORDS["alice"])
    assert alice.person_id == 5
    assert stored_hash(live, "alice").startswith("$argon2")
    assert api.login("alice", PASSWORDS["alice"]).person_id == 5
    saved = api.login("bob", PASSWORDS["bob"]).api.get("/post/list", saved_only=True)["posts"]
    assert [p["post"]["id"] for p in saved] == [10]

    # The actors keep their keys: a peer that cached them verifies what the instance signs as before.
    with httpx.Client(base_url=live.base_url, headers=AP) as http:
        person = http.get("/u/alice").json()
        group = http.get("/c/cats").json()
    assert person["id"] == f"https://{DOMAIN}/u/alice"
    assert person["publicKey"]["publicKeyPem"].strip() == lemmy.keys["alice"][0].strip()
    assert group["publicKey"]["publicKeyPem"].strip() == lemmy.keys["cats"][0].strip()
    assert group["followers"] == f"https://{DOMAIN}/c/cats/followers"

    # An image copied from pict-rs under its alias keeps its URL, thumbnails included.
    alias = "b8e0a4f2-5d6e-4f3a-9c1b-2a7d8e9f0a1b.jpeg"
    media = Path(live.settings.media_dir)
    media.mkdir(parents=True, exist_ok=True)
    (media / alias).write_bytes(b"\xff\xd8\xff\xe0 a jpeg")
    for query in ("", "?thumbnail=256"):
        image = httpx.get(f"{live.base_url}/pictrs/image/{alias}{query}")
        assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg", query

    # New rows get fresh ids after the imported ones.
    post_id = alice.api.post("/post", {"name": "After the move", "community_id": 3})["post_view"]["post"]["id"]
    assert post_id > 11


def test_import_refuses_what_it_cannot_do(lemmy, target, tmp_path):
    lemmy.fill()
    before = agora_import(target, lemmy.url, "--check")
    assert before.returncode == 1 and "DIFFERS" in before.stdout
    wrong_host = agora_import(target, lemmy.url, hostname="other.test")
    assert wrong_host.returncode == 2 and f"AGORA_HOSTNAME={DOMAIN}" in wrong_host.stderr
    not_lemmy = agora_import(target, lemmy.url.rsplit("/", 1)[0] + "/postgres")
    assert not_lemmy.returncode == 2 and "not a Lemmy database" in not_lemmy.stderr
    assert agora_import(target, "mysql://nowhere/lemmy").returncode == 2

    other = LemmySource(DOMAIN).create()
    try:
        other.fill()  # the same hostname, other keys: another instance, not an earlier run of this import
        assert agora_import(target, lemmy.url).returncode == 0
        refused = agora_import(target, other.url)
        assert refused.returncode == 2 and "not empty" in refused.stderr
    finally:
        other.drop()


def comments_in(target: str) -> int:
    from sqlalchemy import func

    from agora.config import Settings
    from agora.db.engine import open_admin_engine
    from agora.db.models import Comment

    async def count() -> int:
        engine = open_admin_engine(Settings(database_url=target))
        try:
            async with engine.connect() as conn:
                return int((await conn.execute(select(func.count()).select_from(Comment))).scalar_one())
        finally:
            await engine.dispose()

    return asyncio.run(count())


def test_interrupted_import_continues_where_it_stopped(lemmy, target):
    lemmy.fill()
    lemmy.add_comments(3000)
    env = {**os.environ, "AGORA_DATABASE_URL": target, "AGORA_HOSTNAME": DOMAIN}
    process = subprocess.Popen(
        [AGORA, "import", "lemmy", lemmy.url, "--batch", "10"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while comments_in_safely(target) < 200 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the import finished before it could be interrupted"
    stopped_at = comments_in(target)
    assert 0 < stopped_at < 3004

    resumed = agora_import(target, lemmy.url)
    assert resumed.returncode == 0, resumed.stderr
    assert "continued an earlier import" in resumed.stdout
    checked = agora_import(target, lemmy.url, "--check")
    assert "comment " in checked.stdout
    assert checked.returncode == 0 and "DIFFERS" not in checked.stdout
    assert comments_in(target) == 3004
    again = agora_import(target, lemmy.url)
    assert again.returncode == 0 and "copied 0 rows" in again.stdout  # a finished import is not repeated


def comments_in_safely(target: str) -> int:
    try:
        return comments_in(target)
    except Exception:  # the table is being written on SQLite, or not there yet
        return 0


def test_a_peer_that_knew_the_old_instance_verifies_the_imported_community(lemmy, databases, server_factory):
    from agora.federation import signatures
    from tests.federation.conftest import FAST, wait_for
    from tests.federation.peer import Peer

    peer = Peer().start()
    try:
        lemmy.fill(remote=peer.base_url)  # carol, who follows `cats`, lives on the peer
        url = databases.new()
        assert agora_import(url, lemmy.url).returncode == 0
        live = server_factory(database_url=url, hostname=DOMAIN, set_up=False, **FAST)
        alice = live.api().login("alice", PASSWORDS["alice"])
        alice.api.post("/post", {"name": "Still here after the move", "community_id": 3})

        wait_for(lambda: peer.received, message="the community's activity at the follower's instance")
        delivered = peer.received[0]
        assert delivered["path"] == "/inbox"  # carol's shared inbox, from the follow Lemmy had
        assert delivered["activity"]["actor"] == f"https://{DOMAIN}/c/cats"
        assert signatures.key_id_of(delivered["headers"]) == f"https://{DOMAIN}/c/cats#main-key"
        # The key the peer cached from the old Lemmy verifies it: no refetch, no action on their side.
        cached = lemmy.keys["cats"][0]
        signatures.verify("POST", delivered["path"], delivered["headers"], delivered["body"], cached)
    finally:
        peer.stop()
