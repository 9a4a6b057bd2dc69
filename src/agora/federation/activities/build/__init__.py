"""Domain events → activities in Lemmy's shapes, queued in the event's own transaction.

Each builder reads the rows the event names (on the event's session, so it sees the change) and hands the outbox
what to send and to whom. `BUILDERS` maps every event type federation sends to its builder.
"""

from __future__ import annotations

from agora.domain import events
from agora.federation import outbox
from agora.federation.activities.build import actors, content, feeds, moderation, moves, pending_follows, polls

BUILDERS: dict[type[events.Event], outbox.Builder] = {
    events.PostCreated: content.post_created,
    events.PostUpdated: content.post_updated,
    events.PostDeleted: content.post_deleted,
    events.CommentCreated: content.comment_created,
    events.CommentUpdated: content.comment_updated,
    events.CommentDeleted: content.comment_deleted,
    events.VoteCast: content.vote_cast,
    events.PollVoted: polls.poll_voted,
    events.PollCounted: polls.poll_counted,
    events.PrivateMessageChanged: content.message_changed,
    events.PostModerated: moderation.post_moderated,
    events.CommentModerated: moderation.comment_moderated,
    events.CommunityModerated: moderation.community_moderated,
    events.PersonBanned: moderation.person_banned,
    events.ModeratorChanged: moderation.moderator_changed,
    events.ContentReported: moderation.content_reported,
    events.CommunityFollowed: actors.community_followed,
    events.CommunityUpdated: actors.community_updated,
    events.CommunityDeleted: actors.community_deleted,
    events.MultiCommunityFollowed: feeds.multi_followed,
    events.MultiCommunityChanged: feeds.multi_changed,
    events.PendingFollowDecided: pending_follows.pending_follow_decided,
    events.PersonUpdated: actors.person_updated,
    events.PersonDeleted: actors.person_deleted,
    events.PersonMoved: moves.person_moved,
    events.CommunityMoved: moves.community_moved,
}
