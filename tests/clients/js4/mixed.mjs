// lemmy-js-client 0.19 (API v3) and 1.0.0-beta.2 (API v4) on one Agora instance (process.argv[2]): each sees what
// the other writes. The 0.19 client comes from ../js (installed by `npm ci` there).
import assert from "node:assert/strict";
import { LemmyHttp as LemmyV4 } from "lemmy-js-client";
import v3 from "../js/node_modules/lemmy-js-client/dist/index.js";

const base = process.argv[2];
const password = "correct horse battery";
const suffix = Math.floor(Math.random() * 1e6);

async function ok(request) {
  const answer = await request;
  if (answer.state !== "success") throw new Error(`request failed: ${answer.err?.name} ${answer.err?.message}`);
  return answer.data;
}

const old = new v3.LemmyHttp(base);
const oldJwt = (await old.register({ username: `old${suffix}`, password, password_verify: password })).jwt;
old.setHeaders({ Authorization: `Bearer ${oldJwt}` });
const neu = new LemmyV4(base);
const newJwt = (await ok(neu.register({ username: `new${suffix}`, password, password_verify: password }))).jwt;
neu.setHeaders({ Authorization: `Bearer ${newJwt}` });

assert.match((await old.getSite()).version, /^0\.19\./);
assert.match((await ok(neu.getSite())).version, /^1\.0\./);

const community = (await old.createCommunity({ name: `mixed${suffix}`, title: "Mixed" })).community_view.community;
await ok(neu.followCommunity({ community_id: community.id, follow: true }));
assert.equal((await old.getCommunity({ id: community.id })).community_view.counts.subscribers, 2);

const oldPost = (await old.createPost({ name: "From 0.19", community_id: community.id })).post_view.post;
const newPost = (await ok(neu.createPost({ name: "From 1.0", community_id: community.id }))).post_view.post;
const seenByNew = await ok(neu.getPosts({ community_id: community.id, sort: "new" }));
assert.deepEqual(seenByNew.items.map((p) => p.post.name), ["From 1.0", "From 0.19"]);
const seenByOld = await old.getPosts({ community_id: community.id, sort: "New" });
assert.deepEqual(seenByOld.posts.map((p) => p.post.name), ["From 1.0", "From 0.19"]);

await ok(neu.likePost({ post_id: oldPost.id, is_upvote: true }));
assert.equal((await old.getPost({ id: oldPost.id })).post_view.counts.score, 2);
await old.likePost({ post_id: newPost.id, score: -1 });
assert.equal((await ok(neu.getPost({ id: newPost.id }))).post_view.post.score, 0);

await old.createComment({ post_id: newPost.id, content: "a 0.19 comment" });
await ok(neu.createComment({ post_id: oldPost.id, content: "a 1.0 comment" }));
assert.deepEqual((await ok(neu.getComments({ post_id: newPost.id }))).items.map((c) => c.comment.content), ["a 0.19 comment"]);
assert.deepEqual((await old.getComments({ post_id: oldPost.id })).comments.map((c) => c.comment.content), ["a 1.0 comment"]);
console.log("mixed story passed");
