"""Every table, one class per module; importing this package registers them all on Base.metadata."""

from agora.db.models.captcha_answer import CaptchaAnswer
from agora.db.models.comment import Comment
from agora.db.models.comment_like import CommentLike
from agora.db.models.comment_reply import CommentReply
from agora.db.models.comment_report import CommentReport
from agora.db.models.comment_saved import CommentSaved
from agora.db.models.community import Community
from agora.db.models.community_block import CommunityBlock
from agora.db.models.community_follower import CommunityFollower
from agora.db.models.community_language import CommunityLanguage
from agora.db.models.community_moderator import CommunityModerator
from agora.db.models.community_person_ban import CommunityPersonBan
from agora.db.models.community_report import CommunityReport
from agora.db.models.community_tag import CommunityTag
from agora.db.models.counter_shard import CounterShard
from agora.db.models.custom_emoji import CustomEmoji
from agora.db.models.custom_emoji_keyword import CustomEmojiKeyword
from agora.db.models.edit_version import EditVersion
from agora.db.models.federation_queue_state import FederationQueueState
from agora.db.models.federation_rule import FederationRule
from agora.db.models.instance import Instance
from agora.db.models.instance_block import InstanceBlock
from agora.db.models.instance_persons_block import InstancePersonsBlock
from agora.db.models.job_lease import JobLease
from agora.db.models.keyword_filter import KeywordFilter
from agora.db.models.language import Language
from agora.db.models.local_image import LocalImage
from agora.db.models.local_site import LocalSite
from agora.db.models.local_site_rate_limit import LocalSiteRateLimit
from agora.db.models.local_site_url_blocklist import LocalSiteUrlBlocklist
from agora.db.models.local_user import LocalUser
from agora.db.models.local_user_invite import LocalUserInvite
from agora.db.models.local_user_language import LocalUserLanguage
from agora.db.models.login_token import LoginToken
from agora.db.models.modlog_entry import ModlogEntry
from agora.db.models.multi_community import MultiCommunity
from agora.db.models.multi_community_entry import MultiCommunityEntry
from agora.db.models.multi_community_follow import MultiCommunityFollow
from agora.db.models.notification_mode import CommunityNotifications, PostNotifications
from agora.db.models.oauth_account import OAuthAccount
from agora.db.models.oauth_provider import OAuthProvider
from agora.db.models.person import Person
from agora.db.models.person_block import PersonBlock
from agora.db.models.person_mention import PersonMention
from agora.db.models.person_note import PersonNote
from agora.db.models.person_warning import PersonWarning
from agora.db.models.poll import Poll
from agora.db.models.poll_choice import PollChoice
from agora.db.models.poll_vote import PollVote
from agora.db.models.post import Post
from agora.db.models.post_community_tag import PostCommunityTag
from agora.db.models.post_hide import PostHide
from agora.db.models.post_like import PostLike
from agora.db.models.post_read import PostRead
from agora.db.models.post_report import PostReport
from agora.db.models.post_saved import PostSaved
from agora.db.models.private_message import PrivateMessage
from agora.db.models.private_message_report import PrivateMessageReport
from agora.db.models.received_activity import ReceivedActivity
from agora.db.models.registration_application import RegistrationApplication
from agora.db.models.secret import Secret
from agora.db.models.sent_activity import SentActivity
from agora.db.models.site import Site
from agora.db.models.site_language import SiteLanguage
from agora.db.models.subscribed_notification import SubscribedNotification
from agora.db.models.tagline import Tagline

__all__ = [
    "CaptchaAnswer",
    "Comment",
    "CommentLike",
    "CommentReply",
    "CommentReport",
    "CommentSaved",
    "Community",
    "CommunityBlock",
    "CommunityFollower",
    "CommunityLanguage",
    "CommunityModerator",
    "CommunityNotifications",
    "CommunityPersonBan",
    "CommunityReport",
    "CommunityTag",
    "CounterShard",
    "CustomEmoji",
    "CustomEmojiKeyword",
    "EditVersion",
    "FederationQueueState",
    "FederationRule",
    "Instance",
    "InstanceBlock",
    "InstancePersonsBlock",
    "JobLease",
    "KeywordFilter",
    "Language",
    "LocalImage",
    "LocalSite",
    "LocalSiteRateLimit",
    "LocalSiteUrlBlocklist",
    "LocalUser",
    "LocalUserInvite",
    "LocalUserLanguage",
    "LoginToken",
    "ModlogEntry",
    "MultiCommunity",
    "MultiCommunityEntry",
    "MultiCommunityFollow",
    "OAuthAccount",
    "OAuthProvider",
    "Person",
    "PersonBlock",
    "PersonMention",
    "PersonNote",
    "PersonWarning",
    "Poll",
    "PollChoice",
    "PollVote",
    "Post",
    "PostCommunityTag",
    "PostHide",
    "PostLike",
    "PostNotifications",
    "PostRead",
    "PostReport",
    "PostSaved",
    "PrivateMessage",
    "PrivateMessageReport",
    "ReceivedActivity",
    "RegistrationApplication",
    "Secret",
    "SentActivity",
    "Site",
    "SiteLanguage",
    "SubscribedNotification",
    "Tagline",
]
