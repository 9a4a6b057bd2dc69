"""core forum"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

from agora.db.migrations.ddl import create_link_table, fk

LANGUAGES = Path(__file__).resolve().parents[2] / "data" / "languages.tsv"
POST_SORT_KEYS = (
    "comments",
    "controversy_rank",
    "hot_rank",
    "hot_rank_active",
    "newest_comment_time",
    "published",
    "scaled_rank",
    "score",
)
VISIBLE = sa.text("deleted = false AND removed = false")


revision = "0001_core"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "captcha_answer",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_captcha_answer")),
    )
    op.create_index(op.f("ix_captcha_answer_published"), "captcha_answer", ["published"], unique=False)
    op.create_table(
        "instance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=255), nullable=False),
        sa.Column("software", sa.String(length=64), nullable=True),
        sa.Column("version", sa.String(length=64), nullable=True),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instance")),
        sa.UniqueConstraint("domain", name=op.f("uq_instance_domain")),
    )
    op.create_table(
        "job_lease",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=128), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_lease")),
    )
    op.create_table(
        "language",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_language")),
        sa.UniqueConstraint("code", name=op.f("uq_language_code")),
    )
    op.create_table(
        "secret",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("jwt_secret", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_secret")),
    )
    op.create_table(
        "community",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("nsfw", sa.Boolean(), nullable=False),
        sa.Column("actor_id", sa.String(length=2000), nullable=False),
        sa.Column("local", sa.Boolean(), nullable=False),
        sa.Column("icon", sa.String(length=2000), nullable=True),
        sa.Column("banner", sa.String(length=2000), nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("posting_restricted_to_mods", sa.Boolean(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=True),
        sa.Column("private_key", sa.Text(), nullable=True),
        sa.Column("inbox_url", sa.String(length=2000), nullable=True),
        sa.Column("shared_inbox_url", sa.String(length=2000), nullable=True),
        sa.Column("followers_url", sa.String(length=2000), nullable=True),
        sa.Column("moderators_url", sa.String(length=2000), nullable=True),
        sa.Column("featured_url", sa.String(length=2000), nullable=True),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subscribers", sa.Integer(), nullable=False),
        sa.Column("subscribers_local", sa.Integer(), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("comments", sa.Integer(), nullable=False),
        sa.Column("users_active_day", sa.Integer(), nullable=False),
        sa.Column("users_active_week", sa.Integer(), nullable=False),
        sa.Column("users_active_month", sa.Integer(), nullable=False),
        sa.Column("users_active_half_year", sa.Integer(), nullable=False),
        sa.Column("hot_rank", sa.Double(), nullable=False),
        fk("community", "instance_id", "instance", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community")),
        sa.UniqueConstraint("actor_id", name=op.f("uq_community_actor_id")),
    )
    op.create_index("ix_community_hot", "community", ["hot_rank", "id"], unique=False)
    op.create_index(op.f("ix_community_instance_id"), "community", ["instance_id"], unique=False)
    op.create_index("ix_community_subscribers", "community", ["subscribers", "id"], unique=False)
    op.create_index(
        "uq_community_instance_name", "community", ["instance_id", sa.literal_column("lower(name)")], unique=True
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=True),
        sa.Column("avatar", sa.String(length=2000), nullable=True),
        sa.Column("banner", sa.String(length=2000), nullable=True),
        sa.Column("bio", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.String(length=2000), nullable=False),
        sa.Column("local", sa.Boolean(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=True),
        sa.Column("private_key", sa.Text(), nullable=True),
        sa.Column("inbox_url", sa.String(length=2000), nullable=True),
        sa.Column("shared_inbox_url", sa.String(length=2000), nullable=True),
        sa.Column("matrix_user_id", sa.String(length=255), nullable=True),
        sa.Column("bot_account", sa.Boolean(), nullable=False),
        sa.Column("banned", sa.Boolean(), nullable=False),
        sa.Column("ban_expires", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("post_count", sa.Integer(), nullable=False),
        sa.Column("post_score", sa.Integer(), nullable=False),
        sa.Column("comment_count", sa.Integer(), nullable=False),
        sa.Column("comment_score", sa.Integer(), nullable=False),
        fk("person", "instance_id", "instance", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("actor_id", name=op.f("uq_person_actor_id")),
    )
    op.create_index(op.f("ix_person_instance_id"), "person", ["instance_id"], unique=False)
    op.create_index("uq_person_instance_name", "person", ["instance_id", sa.literal_column("lower(name)")], unique=True)
    op.create_table(
        "site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("sidebar", sa.Text(), nullable=True),
        sa.Column("description", sa.String(length=150), nullable=True),
        sa.Column("icon", sa.String(length=2000), nullable=True),
        sa.Column("banner", sa.String(length=2000), nullable=True),
        sa.Column("actor_id", sa.String(length=2000), nullable=False),
        sa.Column("inbox_url", sa.String(length=2000), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=True),
        sa.Column("private_key", sa.Text(), nullable=True),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("content_warning", sa.Text(), nullable=True),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_refreshed_at", sa.DateTime(timezone=True), nullable=False),
        fk("site", "instance_id", "instance", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site")),
        sa.UniqueConstraint("actor_id", name=op.f("uq_site_actor_id")),
        sa.UniqueConstraint("instance_id", name=op.f("uq_site_instance_id")),
    )
    create_link_table(
        "community_block",
        ("person_id", "person"),
        ("community_id", "community"),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "community_follower",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        fk("community_follower", "community_id", "community", "CASCADE"),
        fk("community_follower", "person_id", "person", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_follower")),
        sa.UniqueConstraint("person_id", "community_id", name=op.f("uq_community_follower_person_id_community_id")),
    )
    op.create_index(op.f("ix_community_follower_community_id"), "community_follower", ["community_id"], unique=False)
    create_link_table("community_language", ("community_id", "community"), ("language_id", "language"), indexed=False)
    op.create_table(
        "community_moderator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        fk("community_moderator", "community_id", "community", "CASCADE"),
        fk("community_moderator", "person_id", "person", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_moderator")),
        sa.UniqueConstraint("community_id", "person_id", name=op.f("uq_community_moderator_community_id_person_id")),
    )
    op.create_index(op.f("ix_community_moderator_person_id"), "community_moderator", ["person_id"], unique=False)
    op.create_table(
        "community_person_ban",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        fk("community_person_ban", "community_id", "community", "CASCADE"),
        fk("community_person_ban", "person_id", "person", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_person_ban")),
        sa.UniqueConstraint("community_id", "person_id", name=op.f("uq_community_person_ban_community_id_person_id")),
    )
    op.create_index(op.f("ix_community_person_ban_person_id"), "community_person_ban", ["person_id"], unique=False)
    create_link_table(
        "instance_block",
        ("person_id", "person"),
        ("instance_id", "instance"),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "local_site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("site_setup", sa.Boolean(), nullable=False),
        sa.Column("enable_downvotes", sa.Boolean(), nullable=False),
        sa.Column("enable_nsfw", sa.Boolean(), nullable=False),
        sa.Column("community_creation_admin_only", sa.Boolean(), nullable=False),
        sa.Column("require_email_verification", sa.Boolean(), nullable=False),
        sa.Column("application_question", sa.Text(), nullable=True),
        sa.Column("private_instance", sa.Boolean(), nullable=False),
        sa.Column("default_theme", sa.String(length=64), nullable=False),
        sa.Column("default_post_listing_type", sa.String(length=16), nullable=False),
        sa.Column("default_sort_type", sa.String(length=20), nullable=False),
        sa.Column("legal_information", sa.Text(), nullable=True),
        sa.Column("hide_modlog_mod_names", sa.Boolean(), nullable=False),
        sa.Column("application_email_admins", sa.Boolean(), nullable=False),
        sa.Column("slur_filter_regex", sa.Text(), nullable=True),
        sa.Column("actor_name_max_length", sa.Integer(), nullable=False),
        sa.Column("federation_enabled", sa.Boolean(), nullable=False),
        sa.Column("captcha_enabled", sa.Boolean(), nullable=False),
        sa.Column("captcha_difficulty", sa.String(length=16), nullable=False),
        sa.Column("registration_mode", sa.String(length=20), nullable=False),
        sa.Column("reports_email_admins", sa.Boolean(), nullable=False),
        sa.Column("federation_signed_fetch", sa.Boolean(), nullable=False),
        sa.Column("default_post_listing_mode", sa.String(length=16), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("users", sa.Integer(), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("comments", sa.Integer(), nullable=False),
        sa.Column("communities", sa.Integer(), nullable=False),
        sa.Column("users_active_day", sa.Integer(), nullable=False),
        sa.Column("users_active_week", sa.Integer(), nullable=False),
        sa.Column("users_active_month", sa.Integer(), nullable=False),
        sa.Column("users_active_half_year", sa.Integer(), nullable=False),
        fk("local_site", "site_id", "site", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_site")),
        sa.UniqueConstraint("site_id", name=op.f("uq_local_site_site_id")),
    )
    op.create_table(
        "local_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("password_encrypted", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("show_nsfw", sa.Boolean(), nullable=False),
        sa.Column("theme", sa.String(length=64), nullable=False),
        sa.Column("default_sort_type", sa.String(length=20), nullable=False),
        sa.Column("default_listing_type", sa.String(length=16), nullable=False),
        sa.Column("interface_language", sa.String(length=20), nullable=False),
        sa.Column("show_avatars", sa.Boolean(), nullable=False),
        sa.Column("send_notifications_to_email", sa.Boolean(), nullable=False),
        sa.Column("show_scores", sa.Boolean(), nullable=False),
        sa.Column("show_bot_accounts", sa.Boolean(), nullable=False),
        sa.Column("show_read_posts", sa.Boolean(), nullable=False),
        sa.Column("email_verified", sa.Boolean(), nullable=False),
        sa.Column("accepted_application", sa.Boolean(), nullable=False),
        sa.Column("open_links_in_new_tab", sa.Boolean(), nullable=False),
        sa.Column("blur_nsfw", sa.Boolean(), nullable=False),
        sa.Column("auto_expand", sa.Boolean(), nullable=False),
        sa.Column("infinite_scroll_enabled", sa.Boolean(), nullable=False),
        sa.Column("admin", sa.Boolean(), nullable=False),
        sa.Column("post_listing_mode", sa.String(length=16), nullable=False),
        sa.Column("totp_2fa_secret", sa.Text(), nullable=True),
        sa.Column("totp_2fa_enabled", sa.Boolean(), nullable=False),
        sa.Column("enable_keyboard_navigation", sa.Boolean(), nullable=False),
        sa.Column("enable_animated_images", sa.Boolean(), nullable=False),
        sa.Column("collapse_bot_comments", sa.Boolean(), nullable=False),
        sa.Column("last_donation_notification", sa.DateTime(timezone=True), nullable=False),
        sa.Column("vote_display_score", sa.Boolean(), nullable=False),
        sa.Column("vote_display_upvotes", sa.Boolean(), nullable=False),
        sa.Column("vote_display_downvotes", sa.Boolean(), nullable=False),
        sa.Column("vote_display_upvote_percentage", sa.Boolean(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        fk("local_user", "person_id", "person", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_user")),
        sa.UniqueConstraint("person_id", name=op.f("uq_local_user_person_id")),
    )
    op.create_index("uq_local_user_email", "local_user", [sa.literal_column("lower(email)")], unique=True)
    create_link_table(
        "person_block",
        ("person_id", "person"),
        ("target_id", "person"),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("nsfw", sa.Boolean(), nullable=False),
        sa.Column("embed_title", sa.Text(), nullable=True),
        sa.Column("embed_description", sa.Text(), nullable=True),
        sa.Column("embed_video_url", sa.String(length=2000), nullable=True),
        sa.Column("thumbnail_url", sa.String(length=2000), nullable=True),
        sa.Column("url_content_type", sa.String(length=255), nullable=True),
        sa.Column("alt_text", sa.Text(), nullable=True),
        sa.Column("ap_id", sa.String(length=2000), nullable=False),
        sa.Column("local", sa.Boolean(), nullable=False),
        sa.Column("language_id", sa.Integer(), nullable=False),
        sa.Column("featured_community", sa.Boolean(), nullable=False),
        sa.Column("featured_local", sa.Boolean(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comments", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("upvotes", sa.Integer(), nullable=False),
        sa.Column("downvotes", sa.Integer(), nullable=False),
        sa.Column("newest_comment_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("newest_comment_time_necro", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hot_rank", sa.Double(), nullable=False),
        sa.Column("hot_rank_active", sa.Double(), nullable=False),
        sa.Column("scaled_rank", sa.Double(), nullable=False),
        sa.Column("controversy_rank", sa.Double(), nullable=False),
        fk("post", "community_id", "community", "CASCADE"),
        fk("post", "creator_id", "person", "CASCADE"),
        fk("post", "language_id", "language"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post")),
        sa.UniqueConstraint("ap_id", name=op.f("uq_post_ap_id")),
    )
    for key in POST_SORT_KEYS:  # a listing index per sort key, in a community and site-wide
        op.create_index(
            f"ix_post_community_{key}",
            "post",
            ["community_id", "featured_community", key, "id"],
            unique=False,
            postgresql_where=VISIBLE,
            sqlite_where=VISIBLE,
        )
    op.create_index("ix_post_creator_published", "post", ["creator_id", "published"], unique=False)
    for key in POST_SORT_KEYS:
        op.create_index(
            f"ix_post_feed_{key}",
            "post",
            ["featured_local", key, "id"],
            unique=False,
            postgresql_where=VISIBLE,
            sqlite_where=VISIBLE,
        )
    op.create_index(
        "ix_post_nonzero_rank",
        "post",
        ["published"],
        unique=False,
        postgresql_where=sa.text("hot_rank <> 0 OR hot_rank_active <> 0"),
        sqlite_where=sa.text("hot_rank <> 0 OR hot_rank_active <> 0"),
    )
    op.create_index("ix_post_url", "post", ["url"], unique=False)
    create_link_table("site_language", ("site_id", "site"), ("language_id", "language"), indexed=False)
    op.create_table(
        "comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("ap_id", sa.String(length=2000), nullable=False),
        sa.Column("local", sa.Boolean(), nullable=False),
        sa.Column(
            "path",
            sa.String(length=1024).with_variant(sa.String(length=1024, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("distinguished", sa.Boolean(), nullable=False),
        sa.Column("language_id", sa.Integer(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("upvotes", sa.Integer(), nullable=False),
        sa.Column("downvotes", sa.Integer(), nullable=False),
        sa.Column("child_count", sa.Integer(), nullable=False),
        sa.Column("hot_rank", sa.Double(), nullable=False),
        sa.Column("controversy_rank", sa.Double(), nullable=False),
        fk("comment", "creator_id", "person", "CASCADE"),
        fk("comment", "language_id", "language"),
        fk("comment", "parent_id", "comment", "CASCADE"),
        fk("comment", "post_id", "post", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment")),
        sa.UniqueConstraint("ap_id", name=op.f("uq_comment_ap_id")),
    )
    op.create_index("ix_comment_creator_published", "comment", ["creator_id", "published"], unique=False)
    op.create_index(
        "ix_comment_nonzero_rank",
        "comment",
        ["id"],
        unique=False,
        postgresql_where=sa.text("hot_rank <> 0"),
        sqlite_where=sa.text("hot_rank <> 0"),
    )
    op.create_index(op.f("ix_comment_parent_id"), "comment", ["parent_id"], unique=False)
    op.create_index("ix_comment_post_path", "comment", ["post_id", "path"], unique=False)
    op.create_index("ix_comment_post_published", "comment", ["post_id", "published", "id"], unique=False)
    op.create_index("ix_comment_post_score", "comment", ["post_id", "score", "id"], unique=False)
    op.create_index("ix_comment_post_tree", "comment", ["post_id", "depth", "hot_rank", "id"], unique=False)
    op.create_index("ix_comment_published", "comment", ["published", "id"], unique=False)
    op.create_table(
        "custom_emoji",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("local_site_id", sa.Integer(), nullable=False),
        sa.Column("shortcode", sa.String(length=128), nullable=False),
        sa.Column("image_url", sa.String(length=2000), nullable=False),
        sa.Column("alt_text", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=128), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        fk("custom_emoji", "local_site_id", "local_site", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_emoji")),
        sa.UniqueConstraint("shortcode", name=op.f("uq_custom_emoji_shortcode")),
    )
    op.create_index(op.f("ix_custom_emoji_local_site_id"), "custom_emoji", ["local_site_id"], unique=False)
    op.create_table(
        "local_site_rate_limit",
        sa.Column("local_site_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Integer(), nullable=False),
        sa.Column("message_per_second", sa.Integer(), nullable=False),
        sa.Column("post", sa.Integer(), nullable=False),
        sa.Column("post_per_second", sa.Integer(), nullable=False),
        sa.Column("register", sa.Integer(), nullable=False),
        sa.Column("register_per_second", sa.Integer(), nullable=False),
        sa.Column("image", sa.Integer(), nullable=False),
        sa.Column("image_per_second", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Integer(), nullable=False),
        sa.Column("comment_per_second", sa.Integer(), nullable=False),
        sa.Column("search", sa.Integer(), nullable=False),
        sa.Column("search_per_second", sa.Integer(), nullable=False),
        sa.Column("import_user_settings", sa.Integer(), nullable=False),
        sa.Column("import_user_settings_per_second", sa.Integer(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        fk("local_site_rate_limit", "local_site_id", "local_site", "CASCADE"),
        sa.PrimaryKeyConstraint("local_site_id", name=op.f("pk_local_site_rate_limit")),
    )
    create_link_table(
        "local_user_language", ("local_user_id", "local_user"), ("language_id", "language"), indexed=False
    )
    op.create_table(
        "login_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=512), nullable=True),
        fk("login_token", "user_id", "local_user", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_token_token_hash")),
    )
    op.create_index(op.f("ix_login_token_user_id"), "login_token", ["user_id"], unique=False)
    create_link_table(
        "post_hide",
        ("post_id", "post"),
        ("person_id", "person"),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
    )
    create_link_table(
        "post_like",
        ("post_id", "post"),
        ("person_id", "person"),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
    )
    create_link_table(
        "post_read",
        ("post_id", "post"),
        ("person_id", "person"),
        sa.Column("read_comments", sa.Integer(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
    )
    create_link_table(
        "post_saved",
        ("post_id", "post"),
        ("person_id", "person"),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "registration_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("local_user_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("admin_id", sa.Integer(), nullable=True),
        sa.Column("deny_reason", sa.Text(), nullable=True),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        fk("registration_application", "admin_id", "person", "SET NULL"),
        fk("registration_application", "local_user_id", "local_user", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_application")),
        sa.UniqueConstraint("local_user_id", name=op.f("uq_registration_application_local_user_id")),
    )
    op.create_table(
        "tagline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("local_site_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=True),
        fk("tagline", "local_site_id", "local_site", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tagline")),
    )
    op.create_index(op.f("ix_tagline_local_site_id"), "tagline", ["local_site_id"], unique=False)
    create_link_table(
        "comment_like",
        ("comment_id", "comment"),
        ("person_id", "person"),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
    )
    create_link_table(
        "comment_saved",
        ("comment_id", "comment"),
        ("person_id", "person"),
        sa.Column("published", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "custom_emoji_keyword",
        sa.Column("custom_emoji_id", sa.Integer(), nullable=False),
        sa.Column("keyword", sa.String(length=128), nullable=False),
        fk("custom_emoji_keyword", "custom_emoji_id", "custom_emoji", "CASCADE"),
        sa.PrimaryKeyConstraint("custom_emoji_id", "keyword", name=op.f("pk_custom_emoji_keyword")),
    )

    language = sa.table(
        "language", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("name", sa.String)
    )
    rows = [line.split("\t") for line in LANGUAGES.read_text(encoding="utf-8").splitlines() if line.strip()]
    op.bulk_insert(language, [{"id": i, "code": code, "name": name} for i, (code, name) in enumerate(rows)])


def downgrade() -> None:
    op.drop_table("custom_emoji_keyword")
    op.drop_index(op.f("ix_comment_saved_person_id"), table_name="comment_saved")
    op.drop_table("comment_saved")
    op.drop_index(op.f("ix_comment_like_person_id"), table_name="comment_like")
    op.drop_table("comment_like")
    op.drop_index(op.f("ix_tagline_local_site_id"), table_name="tagline")
    op.drop_table("tagline")
    op.drop_table("registration_application")
    op.drop_index(op.f("ix_post_saved_person_id"), table_name="post_saved")
    op.drop_table("post_saved")
    op.drop_index(op.f("ix_post_read_person_id"), table_name="post_read")
    op.drop_table("post_read")
    op.drop_index(op.f("ix_post_like_person_id"), table_name="post_like")
    op.drop_table("post_like")
    op.drop_index(op.f("ix_post_hide_person_id"), table_name="post_hide")
    op.drop_table("post_hide")
    op.drop_index(op.f("ix_login_token_user_id"), table_name="login_token")
    op.drop_table("login_token")
    op.drop_table("local_user_language")
    op.drop_table("local_site_rate_limit")
    op.drop_index(op.f("ix_custom_emoji_local_site_id"), table_name="custom_emoji")
    op.drop_table("custom_emoji")
    op.drop_index("ix_comment_published", table_name="comment")
    op.drop_index("ix_comment_post_tree", table_name="comment")
    op.drop_index("ix_comment_post_score", table_name="comment")
    op.drop_index("ix_comment_post_published", table_name="comment")
    op.drop_index("ix_comment_post_path", table_name="comment")
    op.drop_index(op.f("ix_comment_parent_id"), table_name="comment")
    op.drop_index(
        "ix_comment_nonzero_rank",
        table_name="comment",
        postgresql_where=sa.text("hot_rank <> 0"),
        sqlite_where=sa.text("hot_rank <> 0"),
    )
    op.drop_index("ix_comment_creator_published", table_name="comment")
    op.drop_table("comment")
    op.drop_table("site_language")
    op.drop_index("ix_post_url", table_name="post")
    op.drop_index(
        "ix_post_nonzero_rank",
        table_name="post",
        postgresql_where=sa.text("hot_rank <> 0 OR hot_rank_active <> 0"),
        sqlite_where=sa.text("hot_rank <> 0 OR hot_rank_active <> 0"),
    )
    for key in reversed(POST_SORT_KEYS):
        op.drop_index(f"ix_post_feed_{key}", table_name="post")
    op.drop_index("ix_post_creator_published", table_name="post")
    for key in reversed(POST_SORT_KEYS):
        op.drop_index(f"ix_post_community_{key}", table_name="post")
    op.drop_table("post")
    op.drop_index(op.f("ix_person_block_target_id"), table_name="person_block")
    op.drop_table("person_block")
    op.drop_index("uq_local_user_email", table_name="local_user")
    op.drop_table("local_user")
    op.drop_table("local_site")
    op.drop_index(op.f("ix_instance_block_instance_id"), table_name="instance_block")
    op.drop_table("instance_block")
    op.drop_index(op.f("ix_community_person_ban_person_id"), table_name="community_person_ban")
    op.drop_table("community_person_ban")
    op.drop_index(op.f("ix_community_moderator_person_id"), table_name="community_moderator")
    op.drop_table("community_moderator")
    op.drop_table("community_language")
    op.drop_index(op.f("ix_community_follower_community_id"), table_name="community_follower")
    op.drop_table("community_follower")
    op.drop_index(op.f("ix_community_block_community_id"), table_name="community_block")
    op.drop_table("community_block")
    op.drop_table("site")
    op.drop_index("uq_person_instance_name", table_name="person")
    op.drop_index(op.f("ix_person_instance_id"), table_name="person")
    op.drop_table("person")
    op.drop_index("uq_community_instance_name", table_name="community")
    op.drop_index("ix_community_subscribers", table_name="community")
    op.drop_index(op.f("ix_community_instance_id"), table_name="community")
    op.drop_index("ix_community_hot", table_name="community")
    op.drop_table("community")
    op.drop_table("secret")
    op.drop_table("language")
    op.drop_table("job_lease")
    op.drop_table("instance")
    op.drop_index(op.f("ix_captcha_answer_published"), table_name="captcha_answer")
    op.drop_table("captcha_answer")
