// lemmy-js-client 0.19, unchanged, runs a member's whole story against the Agora server at process.argv[2].
// Any failed call or unexpected answer exits non-zero with a message; the pytest wrapper reports it.
import assert from "node:assert/strict";
import { LemmyHttp } from "lemmy-js-client";

const base = process.argv[2];
const password = "correct horse battery";
const suffix = Math.floor(Math.random() * 1e6);

async function member(name) {
  const client = new LemmyHttp(base);
  const registered = await client.register({ username: name, password, password_verify: password });
  assert.ok(registered.jwt, "register answers a jwt on an open site");
  const login = await client.login({ username_or_email: name, password });
  client.setHeaders({ Authorization: `Bearer ${login.jwt}` });
  return client;
}

const alice = await member(`alice${suffix}`);
const bob = await member(`bob${suffix}`);

const site = await alice.getSite();
assert.equal(site.my_user.local_user_view.person.name, `alice${suffix}`);
assert.match(site.version, /^0\.19\./);

const { community_view } = await alice.createCommunity({ name: `jsclients${suffix}`, title: "JS clients" });
const communityId = community_view.community.id;
const followed = await bob.followCommunity({ community_id: communityId, follow: true });
assert.equal(followed.community_view.subscribed, "Subscribed");
assert.equal((await bob.getCommunity({ name: `jsclients${suffix}` })).community_view.counts.subscribers, 2);

const posts = [];
for (let n = 0; n < 5; n++) {
  const { post_view } = await alice.createPost({ name: `Post number ${n}`, community_id: communityId, body: "**hi**" });
  posts.push(post_view.post.id);
}
const edited = await alice.editPost({ post_id: posts[0], name: "An edited title" });
assert.equal(edited.post_view.post.name, "An edited title");
assert.ok(edited.post_view.post.updated);

const top = (await bob.createComment({ post_id: posts[0], content: "first" })).comment_view;
const reply = (await alice.createComment({ post_id: posts[0], content: "reply", parent_id: top.comment.id })).comment_view;
assert.equal(reply.comment.path, `0.${top.comment.id}.${reply.comment.id}`);

const liked = await bob.likePost({ post_id: posts[0], score: 1 });
assert.equal(liked.post_view.counts.score, 2);
assert.equal(liked.post_view.my_vote, 1);
assert.equal((await bob.likeComment({ comment_id: reply.comment.id, score: -1 })).comment_view.counts.score, 0);
assert.equal((await bob.savePost({ post_id: posts[1], save: true })).post_view.saved, true);

const sorts = ["Active", "Hot", "New", "Old", "TopDay", "TopWeek", "TopMonth", "TopYear", "TopAll", "MostComments",
  "NewComments", "TopHour", "TopSixHour", "TopTwelveHour", "TopThreeMonths", "TopSixMonths", "TopNineMonths",
  "Controversial", "Scaled"];
for (const sort of sorts) {
  for (const type_ of ["All", "Local", "Subscribed"]) {
    const listed = await bob.getPosts({ sort, type_, limit: 50 });
    assert.deepEqual(new Set(listed.posts.map((p) => p.post.id)), new Set(posts), `${sort} ${type_}`);
  }
}

// page through with the cursor Lemmy 0.19 hands out
let cursor;
const seen = [];
do {
  const page = await bob.getPosts({ sort: "New", community_id: communityId, limit: 2, page_cursor: cursor });
  seen.push(...page.posts.map((p) => p.post.id));
  cursor = page.next_page;
} while (cursor);
assert.deepEqual(seen, [...posts].reverse());

const got = await bob.getPost({ id: posts[0] });
assert.equal(got.community_view.community.id, communityId);
assert.equal(got.moderators[0].moderator.name, `alice${suffix}`);
const tree = await bob.getComments({ post_id: posts[0], max_depth: 8, sort: "Hot", type_: "All" });
assert.deepEqual(tree.comments.map((c) => c.comment.id).sort(), [top.comment.id, reply.comment.id].sort());

let refused = false;
try {
  await bob.editPost({ post_id: posts[0], name: "Not mine to edit" });
} catch (error) {
  refused = String(error.message ?? error).includes("no_post_edit_allowed");
}
assert.ok(refused, "editing someone else's post is refused with Lemmy's error string");
console.log("lemmy-js-client story passed");
