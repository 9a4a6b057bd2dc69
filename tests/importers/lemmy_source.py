"""A throw-away Lemmy 0.19 database (our own SQL of its schema, lemmy_019.sql) filled with known rows."""

from __future__ import annotations

import asyncio
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import bcrypt
import jwt

from agora.federation.signatures import generate_key_pair
from tests.conftest import PG_ADMIN_URL

SCHEMA = Path(__file__).with_name("lemmy_019.sql")
JWT_SECRET = "the old instance jwt secret, 32 bytes or more"
PASSWORDS = {"alice": "alice's old password", "bob": "bob's old password"}


def key_pair() -> tuple[str, str]:
    """(public, private) PEMs, as Lemmy stores an actor's keys."""
    private, public = generate_key_pair()
    return public, private


def _quoted(value: str) -> str:
    """A dollar-quoted SQL literal (keys and hashes have no "$q$" in them)."""
    return f"$q${value}$q$"


@dataclass
class LemmySource:
    """A Lemmy database on the test PostgreSQL; `url` for `agora import lemmy`, `domain` the instance's host."""

    domain: str
    name: str = field(default_factory=lambda: f"lemmy_t_{uuid.uuid4().hex[:10]}")
    keys: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def session(self) -> str:
        """Bob's login token, as Lemmy issued it (its JWT, signed with the instance's secret)."""
        claims = {"sub": "4", "iss": self.domain, "iat": 1_700_000_000}
        return jwt.encode(claims, JWT_SECRET, algorithm="HS256")

    @property
    def url(self) -> str:
        return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{self.name}"

    def create(self) -> LemmySource:
        """The schema is ours (lemmy_019.sql), or with AGORA_TEST_LEMMY_MIGRATIONS=DIR Lemmy's own: each DIR/*/up.sql
        in order (a checkout's `migrations` folder at a 0.19 tag), to recheck the importer against the real one."""
        asyncio.run(self._admin(f'CREATE DATABASE "{self.name}"'))
        migrations = os.environ.get("AGORA_TEST_LEMMY_MIGRATIONS")
        scripts = sorted(Path(migrations).glob("*/up.sql")) if migrations else [SCHEMA]
        for script in scripts:
            asyncio.run(self.execute(script.read_text()))
        return self

    def drop(self) -> None:
        asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))

    async def _admin(self, statement: str) -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    async def execute(self, sql: str, *args: object) -> None:
        conn = await asyncpg.connect(self.url)
        try:
            await conn.execute(sql, *args)
        finally:
            await conn.close()

    def run(self, sql: str, *args: object) -> None:
        asyncio.run(self.execute(sql, *args))

    def fill(self, remote: str = "https://remote.example") -> None:
        """The known instance: alice (admin) and bob here, carol on `remote` (a base URL); community `cats` with
        its keys, moderators, a remote follower; two posts, a three-deep comment thread, votes, and the rest."""
        remote_domain = remote.split("://", 1)[1]
        for actor in ("site", "alice", "bob", "cats"):
            self.keys[actor] = key_pair()
        base = f"https://{self.domain}"
        hashes = {name: bcrypt.hashpw(pw.encode(), bcrypt.gensalt(rounds=4)).decode() for name, pw in PASSWORDS.items()}
        k = {actor: tuple(map(_quoted, pair)) for actor, pair in self.keys.items()}
        hashes = {name: _quoted(value) for name, value in hashes.items()}
        alice, bob, cats = k["alice"], k["bob"], k["cats"]
        self.run(
            f"""
            INSERT INTO instance (id, domain, software, published) VALUES
              (1, '{self.domain}', 'lemmy', '2023-05-01T10:00:00Z'), (2, '{remote_domain}', 'lemmy', now());
            INSERT INTO site (id, name, sidebar, actor_id, inbox_url, public_key, private_key, instance_id, published)
              VALUES (1, 'Old Lemmy', 'the sidebar', '{base}/', '{base}/site_inbox', {k["site"][0]}, {k["site"][1]}, 1,
                      '2023-05-01T10:00:00Z');
            INSERT INTO local_site (id, site_id, site_setup, registration_mode, default_sort_type)
              VALUES (1, 1, true, 'RequireApplication', 'Hot');
            INSERT INTO local_site_rate_limit (local_site_id, post, post_per_second) VALUES (1, 2, 60);
            INSERT INTO tagline (id, local_site_id, content) VALUES (1, 1, 'Welcome home');
            INSERT INTO custom_emoji (id, local_site_id, shortcode, image_url, alt_text, category)
              VALUES (1, 1, 'party', '{base}/pictrs/image/party1234.png', 'a party', 'fun');
            INSERT INTO custom_emoji_keyword (custom_emoji_id, keyword) VALUES (1, 'celebrate');
            """
        )
        self.run(
            f"""
            INSERT INTO person (id, name, display_name, actor_id, inbox_url, shared_inbox_url, public_key,
                                private_key, local, instance_id, published) VALUES
              (5, 'alice', 'Alice A.', '{base}/u/alice', '{base}/u/alice/inbox', '{base}/inbox', {alice[0]},
               {alice[1]}, true, 1,
               '2023-05-02T10:00:00Z'),
              (6, 'bob', null, '{base}/u/bob', '{base}/u/bob/inbox', '{base}/inbox', {bob[0]},
               {bob[1]}, true, 1,
               '2023-05-03T10:00:00Z'),
              (7, 'carol', null, '{remote}/u/carol', '{remote}/u/carol/inbox',
               '{remote}/inbox', 'carol-public-key', null, false, 2, '2023-05-04T10:00:00Z'),
              (8, 'dave', null, '{base}/u/dave', '{base}/u/dave/inbox', '{base}/inbox', 'dave-key', null, true, 1,
               '2023-05-05T10:00:00Z');
            INSERT INTO local_user (id, person_id, password_encrypted, email, admin, accepted_application,
                                    email_verified, default_sort_type, show_nsfw) VALUES
              (3, 5, {hashes["alice"]}, 'alice@example.com', true, true, true, 'TopWeek', true),
              (4, 6, {hashes["bob"]}, null, false, true, false, 'New', false),
              (9, 8, {hashes["bob"]}, null, false, false, false, 'Active', false);
            INSERT INTO registration_application (id, local_user_id, answer) VALUES (2, 9, 'let me in');
            INSERT INTO local_image (local_user_id, pictrs_alias, pictrs_delete_token) VALUES
              (3, 'b8e0a4f2-5d6e-4f3a-9c1b-2a7d8e9f0a1b.jpeg', 'token-1'),
              (3, 'c0ffee00-1111-2222-3333-444455556666.mp4', 'token-2');
            INSERT INTO person_block (person_id, target_id) VALUES (6, 7);
            INSERT INTO instance_block (person_id, instance_id) VALUES (5, 2);
            DELETE FROM secret;  -- Lemmy's migrations make one
            INSERT INTO secret (id, jwt_secret) VALUES (1, '{JWT_SECRET}');
            INSERT INTO login_token (token, user_id, ip, user_agent) VALUES ('{self.session}', 4, '10.0.0.1', 'Jerboa');
            """
        )
        self.run(
            f"""
            INSERT INTO community (id, name, title, description, actor_id, inbox_url, shared_inbox_url,
                                   followers_url, moderators_url, featured_url, public_key, private_key,
                                   instance_id, published) VALUES
              (3, 'cats', 'Cats', 'All about cats', '{base}/c/cats', '{base}/c/cats/inbox', '{base}/inbox',
               '{base}/c/cats/followers', '{base}/c/cats/moderators', '{base}/c/cats/featured', {cats[0]},
               {cats[1]}, 1,
               '2023-05-06T10:00:00Z');
            INSERT INTO community_moderator (community_id, person_id, published) VALUES
              (3, 6, '2023-06-01T00:00:00Z'), (3, 5, '2023-05-06T10:00:00Z');
            INSERT INTO community_follower (community_id, person_id, pending) VALUES
              (3, 5, false), (3, 6, false), (3, 7, false);
            INSERT INTO community_person_ban (community_id, person_id) VALUES (3, 8);
            INSERT INTO community_block (person_id, community_id) VALUES (8, 3);
            INSERT INTO post (id, name, body, creator_id, community_id, ap_id, published, updated) VALUES
              (10, 'First cat post', 'Meow', 5, 3, '{base}/post/10', '2023-07-01T12:00:00Z',
               '2023-07-01T13:00:00Z'),
              (11, 'Second post', null, 6, 3, '{base}/post/11', '2023-07-02T12:00:00Z', null);
            INSERT INTO comment (id, creator_id, post_id, content, ap_id, local, path, published) VALUES
              (100, 6, 10, 'top comment', '{base}/comment/100', true, '0.100', '2023-07-01T14:00:00Z'),
              (101, 7, 10, 'a remote reply', '{remote}/comment/9', false, '0.100.101',
               '2023-07-01T15:00:00Z'),
              (102, 5, 10, 'deep reply', '{base}/comment/102', true, '0.100.101.102', '2023-07-01T16:00:00Z'),
              (103, 6, 10, 'second top', '{base}/comment/103', true, '0.103', '2023-07-01T17:00:00Z');
            INSERT INTO post_like (post_id, person_id, score) VALUES (10, 6, 1), (10, 7, 1), (10, 8, -1), (11, 5, -1);
            INSERT INTO comment_like (person_id, comment_id, post_id, score) VALUES (5, 100, 10, 1), (7, 100, 10, 1);
            INSERT INTO post_saved (post_id, person_id) VALUES (10, 6);
            INSERT INTO comment_saved (comment_id, person_id) VALUES (102, 6);
            INSERT INTO post_read (post_id, person_id) VALUES (10, 6), (11, 6);
            INSERT INTO post_hide (post_id, person_id) VALUES (11, 6);
            INSERT INTO private_message (id, creator_id, recipient_id, content, ap_id) VALUES
              (4, 5, 6, 'hello bob', '{base}/private_message/4');
            INSERT INTO post_report (id, creator_id, post_id, original_post_name, reason) VALUES
              (2, 6, 11, 'Second post', 'spam');
            INSERT INTO comment_report (id, creator_id, comment_id, original_comment_text, reason) VALUES
              (3, 5, 101, 'a remote reply', 'rude');
            INSERT INTO mod_remove_post (mod_person_id, post_id, reason, removed) VALUES (5, 11, 'test', false);
            INSERT INTO mod_add_community (mod_person_id, other_person_id, community_id) VALUES (5, 6, 3);
            INSERT INTO mod_ban (mod_person_id, other_person_id, reason, banned) VALUES (5, 7, 'troll', true);
            """
        )

    def add_comments(self, count: int) -> None:
        """`count` more top-level comments on post 11 (for a copy long enough to interrupt)."""
        self.run(
            f"""
            INSERT INTO comment (id, creator_id, post_id, content, ap_id, path)
            SELECT 1000 + g, 6, 11, 'filler ' || g, 'https://{self.domain}/comment/' || (1000 + g),
                   ('0.' || (1000 + g))::ltree
            FROM generate_series(1, {count}) AS g
            """
        )
