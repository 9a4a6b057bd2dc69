// lemmy-js-client 1.0.0-beta.2 (Lemmy 1.0, API v4), unchanged, runs a member's story against the Agora server at
// process.argv[2]. Any failed call or unexpected answer exits non-zero with a message; the pytest wrapper reports it.
import assert from "node:assert/strict";
import { LemmyHttp } from "lemmy-js-client";

const base = process.argv[2];
const adminJwt = process.argv[3]; // the operator's admin, made as `agora admin create` makes it
const password = "correct horse battery";
const suffix = Math.floor(Math.random() * 1e6);

// The 1.0 client answers a RequestState instead of throwing: a failed call fails the story with its error.
async function ok(request) {
  const answer = await request;
  if (answer.state !== "success") {
    throw new Error(`request failed: ${answer.err?.name} ${answer.err?.message}`);
  }
  return answer.data;
}

async function member(name) {
  const client = new LemmyHttp(base);
  const registered = await ok(client.register({ username: name, password, password_verify: password }));
  assert.ok(registered.jwt, "register answers a jwt on an open site");
  const login = await ok(client.login({ username_or_email: name, password }));
  client.setHeaders({ Authorization: `Bearer ${login.jwt}` });
  return client;
}

const alice = await member(`alice${suffix}`);
const bob = await member(`bob${suffix}`);

const site = await ok(alice.getSite());
assert.match(site.version, /^1\.0\./);
const me = await ok(alice.getMyUser());
assert.equal(me.local_user_view.person.name, `alice${suffix}`);

const { community_view } = await ok(alice.createCommunity({ name: `jsv4${suffix}`, title: "JS v4" }));
const communityId = community_view.community.id;
const followed = await ok(bob.followCommunity({ community_id: communityId, follow: true }));
assert.equal(followed.community_view.community_actions.follow_state, "accepted");
const got = await ok(bob.getCommunity({ name: `jsv4${suffix}` }));
assert.equal(got.community_view.community.subscribers, 2);
const listedCommunities = await ok(bob.listCommunities({ type_: "local", sort: "new", limit: 50 }));
assert.ok(listedCommunities.items.some((c) => c.community.id === communityId));

const posts = [];
for (let n = 0; n < 5; n++) {
  const { post_view } = await ok(alice.createPost({ name: `Post number ${n}`, community_id: communityId, body: "**hi**" }));
  posts.push(post_view.post.id);
}
const edited = await ok(alice.editPost({ post_id: posts[0], name: "An edited title" }));
assert.equal(edited.post_view.post.name, "An edited title");
assert.ok(edited.post_view.post.updated_at);

const top = (await ok(bob.createComment({ post_id: posts[0], content: "first" }))).comment_view;
const reply = (await ok(alice.createComment({ post_id: posts[0], content: "reply", parent_id: top.comment.id })))
  .comment_view;
assert.equal(reply.comment.path, `0.${top.comment.id}.${reply.comment.id}`);

const liked = await ok(bob.likePost({ post_id: posts[0], is_upvote: true }));
assert.equal(liked.post_view.post.score, 2);
assert.equal(liked.post_view.post_actions.vote_is_upvote, true);
assert.equal((await ok(bob.likeComment({ comment_id: reply.comment.id, is_upvote: false }))).comment_view.comment.score, 0);
assert.ok((await ok(bob.savePost({ post_id: posts[1], save: true }))).post_view.post_actions.saved_at);
assert.ok((await ok(bob.saveComment({ comment_id: reply.comment.id, save: true }))).comment_view.comment_actions.saved_at);
assert.ok((await ok(bob.markPostAsRead({ post_id: posts[2], read: true }))).post_view.post_actions.read_at);

// Every sort and listing type, and cursor paging both ways.
const sorts = ["active", "hot", "new", "old", "top", "most_comments", "new_comments", "controversial", "scaled"];
for (const sort of sorts) {
  for (const type_ of ["all", "local", "subscribed"]) {
    const listed = await ok(bob.getPosts({ sort, type_, limit: 50, time_range_seconds: 7 * 86400 }));
    assert.deepEqual(new Set(listed.items.map((p) => p.post.id)), new Set(posts), `${sort} ${type_}`);
  }
}
const newest = [...posts].reverse();
const first = await ok(bob.getPosts({ community_id: communityId, sort: "new", limit: 2 }));
assert.deepEqual(first.items.map((p) => p.post.id), newest.slice(0, 2));
const second = await ok(bob.getPosts({ community_id: communityId, sort: "new", limit: 2, page_cursor: first.next_page }));
assert.deepEqual(second.items.map((p) => p.post.id), newest.slice(2, 4));
const back = await ok(bob.getPosts({ community_id: communityId, sort: "new", limit: 2, page_cursor: second.prev_page }));
assert.deepEqual(back.items.map((p) => p.post.id), newest.slice(0, 2));

const comments = await ok(bob.getComments({ post_id: posts[0], sort: "old" }));
assert.deepEqual(comments.items.map((c) => c.comment.id), [top.comment.id, reply.comment.id]);
assert.equal((await ok(bob.getComment({ id: reply.comment.id }))).comment_view.comment.content, "reply");
const post = await ok(bob.getPost({ id: posts[0] }));
assert.equal(post.post_view.post.comments, 2);
assert.equal(post.moderators[0].moderator.name, `alice${suffix}`);

assert.equal((await ok(alice.deletePost({ post_id: posts[4], deleted: true }))).post_view.post.deleted, true);
assert.equal((await ok(bob.deleteComment({ comment_id: top.comment.id, deleted: true }))).comment_view.comment.deleted, true);

const refused = await bob.editPost({ post_id: posts[1], name: "not mine" });
assert.equal(refused.state, "failed");
assert.equal(refused.err.name, "no_post_edit_allowed");

// Notifications: alice's reply to bob and a mention, in one inbox; read marks.
await ok(alice.createComment({ post_id: posts[1], content: `hello @bob${suffix}` }));
const inbox = await ok(bob.listNotifications({ unread_only: true }));
assert.ok(inbox.items.some((n) => n.notification.kind === "reply" && n.data.comment.content === "reply"));
assert.ok(inbox.items.some((n) => n.notification.kind === "mention"));
assert.ok((await ok(bob.getUnreadCounts())).notification_count >= 2);
await ok(bob.markNotificationAsRead({ notification_id: inbox.items[0].notification.id, read: true }));
await ok(bob.markAllNotificationsAsRead());
assert.equal((await ok(bob.listNotifications({ unread_only: true }))).items.length, 0);

// Saved, liked and a person's content: posts and comments in one list.
const saved = await ok(bob.listPersonSaved({}));
assert.deepEqual(saved.items.map((i) => i.type_).sort(), ["comment", "post"]);
const likedList = await ok(bob.listPersonLiked({ like_type: "liked_only" }));
assert.deepEqual(likedList.items.map((i) => i.post.id), [posts[0]]);
const content = await ok(bob.listPersonContent({ username: `alice${suffix}`, type_: "posts" }));
assert.equal(content.items.length, 4);

// Reports and the modlog.
const report = await ok(bob.createPostReport({ post_id: posts[3], reason: "off topic" }));
assert.equal(report.post_report_view.post_report.reason, "off topic");
const reports = await ok(alice.listReports({ unresolved_only: true }));
assert.deepEqual(reports.items.map((r) => r.type_), ["post"]);
await ok(alice.resolvePostReport({ report_id: report.post_report_view.post_report.id, resolved: true }));
await ok(alice.lockPost({ post_id: posts[3], locked: true, reason: "resolved" }));
await ok(alice.removeComment({ comment_id: reply.comment.id, removed: true, reason: "tidy" }));
const modlog = await ok(bob.getModlog({ community_id: communityId }));
assert.deepEqual(modlog.items.map((m) => m.modlog.kind), ["mod_remove_comment", "mod_lock_post"]);
const search = await ok(bob.search({ search_term: "edited" }));
assert.deepEqual(search.posts.map((p) => p.post.id), [posts[0]]);

// A private community: bob's follow waits until alice, its moderator, approves it; then he reads and posts there.
const hidden = (await ok(alice.createCommunity({ name: `priv${suffix}`, title: "Private", visibility: "private" })))
  .community_view.community;
assert.equal(hidden.visibility, "private");
const asked = await ok(bob.followCommunity({ community_id: hidden.id, follow: true }));
assert.equal(asked.community_view.community_actions.follow_state, "approval_required");
const waiting = await ok(alice.listCommunityPendingFollows({ unread_only: true }));
const mine = waiting.items.find((f) => f.community.id === hidden.id);
assert.equal(mine.person.name, `bob${suffix}`);
await ok(alice.approveCommunityPendingFollow({ community_id: hidden.id, follower_id: mine.person.id, approve: true }));
const let_in = await ok(bob.getCommunity({ id: hidden.id }));
assert.equal(let_in.community_view.community_actions.follow_state, "accepted");
const inside = (await ok(bob.createPost({ name: "Members only", community_id: hidden.id }))).post_view.post;
assert.ok((await ok(alice.getPosts({ community_id: hidden.id }))).items.some((p) => p.post.id === inside.id));

// Community tags: a moderator makes them, posts carry them, the community lists them.
const tag = await ok(alice.createCommunityTag({ community_id: communityId, name: "news", display_name: "News" }));
const tagged = (await ok(alice.createPost({ name: "Tagged post", community_id: communityId, tags: [tag.id] })))
  .post_view;
assert.deepEqual(tagged.tags.map((t) => t.name), ["news"]);
assert.deepEqual((await ok(bob.getPost({ id: tagged.post.id }))).post_view.tags.map((t) => t.id), [tag.id]);
assert.ok((await ok(bob.getCommunity({ id: communityId }))).community_view.tags.some((t) => t.id === tag.id));
const notMod = await bob.createCommunityTag({ community_id: communityId, name: "mine" });
assert.equal(notMod.state, "failed");

// A multi-community: bob gathers two communities and reads them as one feed.
const other = (await ok(bob.createCommunity({ name: `other${suffix}`, title: "Other" }))).community_view.community;
const elsewhere = (await ok(bob.createPost({ name: "Elsewhere", community_id: other.id }))).post_view.post;
const multi = (await ok(bob.createMultiCommunity({ name: `feed${suffix}`, title: "My feed" }))).multi_community_view;
for (const community_id of [communityId, other.id]) {
  await ok(bob.createMultiCommunityEntry({ id: multi.multi.id, community_id }));
}
const gathered = await ok(bob.getMultiCommunity({ id: multi.multi.id }));
assert.deepEqual(gathered.communities.map((c) => c.community.id).sort(), [communityId, other.id].sort());
const feed = await ok(bob.getPosts({ multi_community_id: multi.multi.id, sort: "new", limit: 50 }));
assert.ok(feed.items.some((p) => p.post.id === elsewhere.id) && feed.items.some((p) => p.post.id === tagged.post.id));
assert.ok(!feed.items.some((p) => p.post.id === inside.id));
await ok(alice.followMultiCommunity({ multi_community_id: multi.multi.id, follow: true }));
const listedMultis = await ok(alice.listMultiCommunities({ type_: "subscribed" }));
assert.deepEqual(listedMultis.items.map((m) => m.multi.id), [multi.multi.id]);
const theirs = await alice.createMultiCommunityEntry({ id: multi.multi.id, community_id: hidden.id });
assert.equal(theirs.state, "failed");

// The admin: a login provider (listed to everyone without its secret), the member list, a site ban in the modlog.
const admin = new LemmyHttp(base);
admin.setHeaders({ Authorization: `Bearer ${adminJwt}` });
const provider = await ok(
  admin.createOAuthProvider({
    display_name: "Example ID",
    issuer: "https://id.example/",
    authorization_endpoint: "https://id.example/authorize",
    token_endpoint: "https://id.example/token",
    userinfo_endpoint: "https://id.example/userinfo",
    id_claim: "sub",
    client_id: "agora",
    client_secret: "kept secret",
    scopes: "openid email",
  }),
);
const publicSite = await ok(new LemmyHttp(base).getSite());
assert.deepEqual(publicSite.oauth_providers.map((p) => p.display_name), ["Example ID"]);
assert.ok(!JSON.stringify(publicSite).includes("kept secret"));
await ok(admin.deleteOAuthProvider({ id: provider.id }));
const carol = await member(`carol${suffix}`);
const users = await ok(admin.adminListUsers({}));
assert.ok(users.items.some((u) => u.person.name === `carol${suffix}`));
const carolId = (await ok(carol.getMyUser())).local_user_view.person.id;
await ok(admin.banPerson({ person_id: carolId, ban: true, reason: "spam" }));
const banned = await carol.createPost({ name: "after the ban", community_id: communityId });
assert.equal(banned.state, "failed");
const siteLog = await ok(bob.getModlog({ type_: "admin_ban" }));
assert.ok(siteLog.items.some((m) => m.modlog.kind === "admin_ban"));

// Notification modes: bob hears of every new post in alice's community; a muted post tells him nothing.
await ok(bob.editCommunityNotifications({ community_id: communityId, mode: "all_posts" }));
const announced = (await ok(alice.createPost({ name: "Announcement", community_id: communityId }))).post_view.post;
const heard = await ok(bob.listNotifications({ unread_only: true }));
assert.ok(heard.items.some((n) => n.notification.kind === "subscribed" && n.data.post?.id === announced.id));
await ok(bob.editPostNotifications({ post_id: posts[1], mode: "mute" }));
await ok(bob.markAllNotificationsAsRead());
await ok(alice.createComment({ post_id: posts[1], content: `again @bob${suffix}` }));
assert.equal((await ok(bob.listNotifications({ unread_only: true }))).items.length, 0);

// Invitations: on an invitation-only site a sign-up needs one, and a single-use one works once.
await ok(admin.editSite({ registration_mode: "require_invitation" }));
const invite = (await ok(admin.createRegistrationInvitation({ max_uses: 1 }))).invite;
const door = new LemmyHttp(base);
const without = await door.register({ username: `dave${suffix}`, password, password_verify: password });
assert.equal(without.err.name, "missing_invite_token");
assert.ok((await ok(door.register({ username: `dave${suffix}`, password, password_verify: password, token: invite.token }))).jwt);
const again = await door.register({ username: `erin${suffix}`, password, password_verify: password, token: invite.token });
assert.equal(again.err.name, "invalid_invite_token");
await ok(admin.editSite({ registration_mode: "open" }));

await ok(bob.logout());
console.log("story passed");
