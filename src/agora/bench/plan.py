"""The benchmark dataset, decided before any row is written, in memory that grows with posts and people only.

`make_plan` draws who exists, who follows what, and each post's community, author, age and number of comments.
Everything that happens on a post (its comments' times and authors, every vote) comes from `events`, a random
stream of the post's own: the seeder draws it once to count (`Tally`: every aggregate, the active-user counts that
scaled ranks need) and again, identically, when it writes the post's rows. So no pass ever holds the comments.

The shape is skewed like a real forum: community sizes and comment counts follow Zipf-like laws, post ages are
exponential (60-day mean, within a year), a few hot posts carry 5,000 comments each, votes cluster on popular
posts, and person 1 (`bench0`) follows 50 communities.
"""

from __future__ import annotations

import random
from array import array
from dataclasses import dataclass, field
from datetime import datetime, timedelta

HOT_POST_COMMENTS = 5_000
DAY = 86_400.0
# the activity windows of jobs.activity, in seconds: a community's users_active_* count who acted within them
WINDOWS = {"day": DAY, "week": 7 * DAY, "month": 30 * DAY, "half_year": 182 * DAY}
LONG, SHORT = ("month", "half_year"), ("day", "week")


@dataclass(slots=True)
class Sizes:
    posts: int
    comments: int
    communities: int
    persons: int
    seed: int = 1


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1.0 / (k + 1) ** s for k in range(n)]


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


@dataclass(slots=True)
class Plan:
    sizes: Sizes
    now: datetime
    hot: int  # posts 1..hot carry HOT_POST_COMMENTS comments each
    person_age: array  # seconds before now, by person id - 1
    community_age: array
    moderator: array  # by community id - 1
    follows: list[tuple[int, int]]  # (community_id, person_id), sorted
    post_community: array  # by post id - 1
    post_creator: array
    post_age: array
    post_comments: array

    def at(self, age: float) -> datetime:
        return self.now - timedelta(seconds=age)


def make_plan(sizes: Sizes, now: datetime) -> Plan:
    rng = random.Random(sizes.seed)
    persons, communities, posts = sizes.persons, sizes.communities, sizes.posts
    person_age = array("d", (rng.uniform(30, 900) * DAY for _ in range(persons)))
    community_age = array("d", (rng.uniform(60, 1400) * DAY for _ in range(communities)))
    moderator = array("i", (rng.randint(1, persons) for _ in range(communities)))
    community_ids = range(1, communities + 1)
    weights = _cumulative(zipf_weights(communities))
    follows: set[tuple[int, int]] = set()
    for pid in range(1, persons + 1):
        for cid in rng.choices(community_ids, cum_weights=weights, k=rng.randint(1, 8)):
            follows.add((cid, pid))
    follows.update((cid, 1) for cid in range(1, min(50, communities) + 1))  # bench0 follows 50 communities
    follows.update((cid, moderator[cid - 1]) for cid in community_ids)
    post_community = array("i", rng.choices(community_ids, cum_weights=weights, k=posts))
    post_creator = array("i", (rng.randint(1, persons) for _ in range(posts)))
    post_age = array("d", (min(365.0, rng.expovariate(1 / 60)) * DAY for _ in range(posts)))
    hot = min(10, sizes.comments // (HOT_POST_COMMENTS * 4)) if sizes.comments >= HOT_POST_COMMENTS else 0
    counts = array("i", bytes(4 * posts))
    for p in range(hot):
        counts[p] = HOT_POST_COMMENTS
        post_age[p] = rng.uniform(2, 20) * 3600
    # the long tail: which posts get many comments is independent of their id
    tail = list(range(hot, posts)) or list(range(posts))
    rng.shuffle(tail)
    tail_weights = _cumulative(zipf_weights(len(tail), 0.8))
    rest = max(0, sizes.comments - hot * HOT_POST_COMMENTS)
    while rest:
        batch = min(rest, 1_000_000)
        for index in rng.choices(tail, cum_weights=tail_weights, k=batch):
            counts[index] += 1
        rest -= batch
    return Plan(
        sizes,
        now,
        hot,
        person_age,
        community_age,
        moderator,
        sorted(follows),
        post_community,
        post_creator,
        post_age,
        counts,
    )


@dataclass(slots=True)
class Events:
    """What happens on one post: comments (seconds after the post, ascending; authors) and votes."""

    offsets: list[float]
    authors: list[int]
    comment_votes: list[dict[int, int]]  # per comment: voter → ±1 (its author's own upvote first)
    post_votes: dict[int, int]


def stream(plan: Plan, post_id: int, purpose: int) -> random.Random:
    """The post's own random stream for `purpose` (0: events, 1: thread shape)."""
    return random.Random((plan.sizes.seed * 4_000_000_007 + post_id) * 2 + purpose)


def events(plan: Plan, post_id: int) -> Events:
    rng = stream(plan, post_id, 0)
    index, persons = post_id - 1, plan.sizes.persons
    n = plan.post_comments[index]
    span = plan.post_age[index]  # comments come after the post and before now (a future one would rank 0)
    offsets = sorted(rng.uniform(0, span) for _ in range(n))
    authors = [rng.randint(1, persons) for _ in range(n)]
    comment_votes = []
    for author in authors:
        voters = {author: 1}
        if rng.random() < 0.3:
            voters.setdefault(rng.randint(1, persons), 1 if rng.random() < 0.8 else -1)
        comment_votes.append(voters)
    post_votes = {plan.post_creator[index]: 1}
    crowd = min(persons - 1, int(rng.paretovariate(1.3)) + n // 20)
    for voter in rng.sample(range(1, persons + 1), k=min(crowd, 200)):
        post_votes.setdefault(voter, 1 if rng.random() < 0.85 else -1)
    return Events(offsets, authors, comment_votes, post_votes)


@dataclass
class Tally:
    """Every aggregate of the dataset, counted from the plan and the posts' events before anything is written."""

    plan: Plan
    person_posts: array = field(init=False)
    person_post_score: array = field(init=False)
    person_comments: array = field(init=False)
    person_comment_score: array = field(init=False)
    community_posts: array = field(init=False)
    community_comments: array = field(init=False)
    subscribers: array = field(init=False)
    # who acted in each community within each window: a bit per (community, person) for the long windows, a set of
    # community * (persons + 1) + person for the short ones (few people act within a day)
    active: dict[str, bytearray] = field(init=False)
    recent: dict[str, set[int]] = field(init=False)
    comments: int = 0
    post_votes: int = 0
    comment_votes: int = 0

    def __post_init__(self) -> None:
        s = self.plan.sizes
        zeros = bytes(8 * (s.persons + 1))
        self.person_posts, self.person_post_score = array("q", zeros), array("q", zeros)
        self.person_comments, self.person_comment_score = array("q", zeros), array("q", zeros)
        self.community_posts = array("q", bytes(8 * (s.communities + 1)))
        self.community_comments = array("q", bytes(8 * (s.communities + 1)))
        self.subscribers = array("q", bytes(8 * (s.communities + 1)))
        for cid, _ in self.plan.follows:
            self.subscribers[cid] += 1
        self._stride = s.persons // 8 + 1
        self.active = {name: bytearray(self._stride * (s.communities + 1)) for name in LONG}
        self.recent = {name: set() for name in SHORT}

    def _acted(self, community_id: int, person_id: int, age: float) -> None:
        if age > WINDOWS["half_year"]:
            return
        at = community_id * self._stride + (person_id >> 3)
        self.active["half_year"][at] |= 1 << (person_id & 7)
        if age <= WINDOWS["month"]:
            self.active["month"][at] |= 1 << (person_id & 7)
            if age <= WINDOWS["week"]:
                key = community_id * (self.plan.sizes.persons + 1) + person_id
                self.recent["week"].add(key)
                if age <= WINDOWS["day"]:
                    self.recent["day"].add(key)

    def count_post(self, post_id: int, ev: Events) -> None:
        plan, index = self.plan, post_id - 1
        cid, creator, age = plan.post_community[index], plan.post_creator[index], plan.post_age[index]
        score = sum(ev.post_votes.values())
        self.person_posts[creator] += 1
        self.person_post_score[creator] += score
        self.community_posts[cid] += 1
        self.community_comments[cid] += len(ev.authors)
        self.comments += len(ev.authors)
        self.post_votes += len(ev.post_votes)
        self._acted(cid, creator, age)
        for voter in ev.post_votes:  # a post's votes are dated with the post
            self._acted(cid, voter, age)
        for offset, author, voters in zip(ev.offsets, ev.authors, ev.comment_votes, strict=True):
            comment_age = age - offset
            self.person_comments[author] += 1
            self.person_comment_score[author] += sum(voters.values())
            self.comment_votes += len(voters)
            for voter in voters:  # the author first; a comment's votes are dated with the comment
                self._acted(cid, voter, comment_age)

    def active_users(self, name: str) -> tuple[dict[int, int], int]:
        """Distinct people active within window `name`: per community, and on the whole site."""
        per_community: dict[int, int] = {}
        if name in SHORT:
            width = self.plan.sizes.persons + 1
            people = set()
            for key in self.recent[name]:
                cid, pid = divmod(key, width)
                per_community[cid] = per_community.get(cid, 0) + 1
                people.add(pid)
            return per_community, len(people)
        seen = 0
        for cid in range(1, self.plan.sizes.communities + 1):
            start = cid * self._stride
            bits = int.from_bytes(self.active[name][start : start + self._stride], "little")
            per_community[cid] = bits.bit_count()
            seen |= bits
        return per_community, seen.bit_count()
