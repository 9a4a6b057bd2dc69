"""The one error type of Agora and every error code it answers with.

    AgoraError(code, status=400, message=None)      everything a user or a peer did wrong
    ├── status 401  Code.incorrect_login (Lemmy sends 401 for a missing or bad login, 400 for the rest), and
    │               Code.instance_is_private: a private instance asks for a login (Lemmy sends 400)
    ├── status 400  every other Lemmy code: not found, not allowed, invalid input
    ├── status 401  also Code.bad_signature: an inbox POST not signed by its actor
    ├── status 413  Code.too_large: a body, upload or document over its cap
    ├── status 429  Code.rate_limit_error: too many actions of one kind from one address (as Lemmy)
    └── status 503  Code.service_unavailable: the database is unreachable; retry later

The API answers `{"error": code}` (plus `"message"` where Lemmy sends one); the web UI shows a translated line;
the ActivityPub inbox answers the status with the code. Codes are Lemmy 0.19's snake_case strings, because apps
branch on them, plus a few of Agora's own at the end.
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    report_reason_required = "report_reason_required"
    report_too_long = "report_too_long"
    not_a_moderator = "not_a_moderator"
    not_an_admin = "not_an_admin"
    cant_block_yourself = "cant_block_yourself"
    cant_block_admin = "cant_block_admin"
    cant_note_yourself = "cant_note_yourself"
    couldnt_update_user = "couldnt_update_user"
    passwords_do_not_match = "passwords_do_not_match"
    email_not_verified = "email_not_verified"
    email_required = "email_required"
    couldnt_update_comment = "couldnt_update_comment"
    couldnt_update_private_message = "couldnt_update_private_message"
    cannot_leave_admin = "cannot_leave_admin"
    no_lines_in_html = "no_lines_in_html"
    site_metadata_page_is_not_doctype_html = "site_metadata_page_is_not_doctype_html"
    pictrs_response_error = "pictrs_response_error"
    pictrs_purge_response_error = "pictrs_purge_response_error"
    pictrs_caching_disabled = "pictrs_caching_disabled"
    image_url_missing_path_segments = "image_url_missing_path_segments"
    image_url_missing_last_path_segment = "image_url_missing_last_path_segment"
    pictrs_api_key_not_provided = "pictrs_api_key_not_provided"
    no_content_type_header = "no_content_type_header"
    not_an_image_type = "not_an_image_type"
    not_a_mod_or_admin = "not_a_mod_or_admin"
    no_admins = "no_admins"
    not_top_admin = "not_top_admin"
    not_top_mod = "not_top_mod"
    not_logged_in = "not_logged_in"
    not_higher_mod = "not_higher_mod"
    not_higher_admin = "not_higher_admin"
    site_ban = "site_ban"
    deleted = "deleted"
    banned_from_community = "banned_from_community"
    couldnt_find_community = "couldnt_find_community"
    couldnt_find_person = "couldnt_find_person"
    couldnt_find_comment = "couldnt_find_comment"
    couldnt_find_comment_report = "couldnt_find_comment_report"
    couldnt_find_post_report = "couldnt_find_post_report"
    couldnt_find_community_report = "couldnt_find_community_report"
    couldnt_find_private_message_report = "couldnt_find_private_message_report"
    couldnt_find_local_user = "couldnt_find_local_user"
    couldnt_find_person_mention = "couldnt_find_person_mention"
    couldnt_find_registration_application = "couldnt_find_registration_application"
    couldnt_find_comment_reply = "couldnt_find_comment_reply"
    couldnt_find_private_message = "couldnt_find_private_message"
    couldnt_find_activity = "couldnt_find_activity"
    person_is_blocked = "person_is_blocked"
    community_is_blocked = "community_is_blocked"
    instance_is_blocked = "instance_is_blocked"
    downvotes_are_disabled = "downvotes_are_disabled"
    instance_is_private = "instance_is_private"
    invalid_password = "invalid_password"
    site_description_length_overflow = "site_description_length_overflow"
    honeypot_failed = "honeypot_failed"
    registration_application_is_pending = "registration_application_is_pending"
    locked = "locked"
    couldnt_create_comment = "couldnt_create_comment"
    max_comment_depth_reached = "max_comment_depth_reached"
    no_comment_edit_allowed = "no_comment_edit_allowed"
    only_admins_can_create_communities = "only_admins_can_create_communities"
    community_already_exists = "community_already_exists"
    language_not_allowed = "language_not_allowed"
    only_mods_can_post_in_community = "only_mods_can_post_in_community"
    couldnt_update_post = "couldnt_update_post"
    no_post_edit_allowed = "no_post_edit_allowed"
    couldnt_find_post = "couldnt_find_post"
    edit_private_message_not_allowed = "edit_private_message_not_allowed"
    site_already_exists = "site_already_exists"
    application_question_required = "application_question_required"
    invalid_default_post_listing_type = "invalid_default_post_listing_type"
    registration_closed = "registration_closed"
    registration_application_answer_required = "registration_application_answer_required"
    email_already_exists = "email_already_exists"
    federation_forbidden_by_strict_allow_list = "federation_forbidden_by_strict_allow_list"
    person_is_banned_from_community = "person_is_banned_from_community"
    object_is_not_public = "object_is_not_public"
    invalid_community = "invalid_community"
    cannot_create_post_or_comment_in_deleted_or_removed_community = (
        "cannot_create_post_or_comment_in_deleted_or_removed_community"
    )
    cannot_receive_page = "cannot_receive_page"
    new_post_cannot_be_locked = "new_post_cannot_be_locked"
    only_local_admin_can_remove_community = "only_local_admin_can_remove_community"
    only_local_admin_can_restore_community = "only_local_admin_can_restore_community"
    no_id_given = "no_id_given"
    incorrect_login = "incorrect_login"
    invalid_query = "invalid_query"
    object_not_local = "object_not_local"
    post_is_locked = "post_is_locked"
    person_is_banned_from_site = "person_is_banned_from_site"
    invalid_vote_value = "invalid_vote_value"
    page_does_not_specify_creator = "page_does_not_specify_creator"
    no_email_setup = "no_email_setup"
    local_site_not_setup = "local_site_not_setup"
    email_smtp_server_needs_a_port = "email_smtp_server_needs_a_port"
    missing_an_email = "missing_an_email"
    rate_limit_error = "rate_limit_error"
    invalid_name = "invalid_name"
    invalid_display_name = "invalid_display_name"
    invalid_matrix_id = "invalid_matrix_id"
    invalid_post_title = "invalid_post_title"
    invalid_body_field = "invalid_body_field"
    bio_length_overflow = "bio_length_overflow"
    alt_text_length_overflow = "alt_text_length_overflow"
    missing_totp_token = "missing_totp_token"
    missing_totp_secret = "missing_totp_secret"
    incorrect_totp_token = "incorrect_totp_token"
    couldnt_parse_totp_secret = "couldnt_parse_totp_secret"
    couldnt_generate_totp = "couldnt_generate_totp"
    totp_already_enabled = "totp_already_enabled"
    couldnt_like_comment = "couldnt_like_comment"
    couldnt_save_comment = "couldnt_save_comment"
    couldnt_create_report = "couldnt_create_report"
    couldnt_resolve_report = "couldnt_resolve_report"
    community_moderator_already_exists = "community_moderator_already_exists"
    community_user_already_banned = "community_user_already_banned"
    community_block_already_exists = "community_block_already_exists"
    community_follower_already_exists = "community_follower_already_exists"
    couldnt_update_community_hidden_status = "couldnt_update_community_hidden_status"
    person_block_already_exists = "person_block_already_exists"
    user_already_exists = "user_already_exists"
    token_not_found = "token_not_found"
    couldnt_like_post = "couldnt_like_post"
    couldnt_save_post = "couldnt_save_post"
    couldnt_mark_post_as_read = "couldnt_mark_post_as_read"
    couldnt_hide_post = "couldnt_hide_post"
    couldnt_update_community = "couldnt_update_community"
    couldnt_update_replies = "couldnt_update_replies"
    couldnt_update_person_mentions = "couldnt_update_person_mentions"
    post_title_too_long = "post_title_too_long"
    couldnt_create_post = "couldnt_create_post"
    couldnt_create_private_message = "couldnt_create_private_message"
    couldnt_update_private = "couldnt_update_private"
    system_err_login = "system_err_login"
    couldnt_set_all_registrations_accepted = "couldnt_set_all_registrations_accepted"
    couldnt_set_all_email_verified = "couldnt_set_all_email_verified"
    banned = "banned"
    blocked_url = "blocked_url"
    couldnt_get_comments = "couldnt_get_comments"
    couldnt_get_posts = "couldnt_get_posts"
    invalid_url = "invalid_url"
    email_send_failed = "email_send_failed"
    slurs = "slurs"
    couldnt_find_object = "couldnt_find_object"
    registration_denied = "registration_denied"
    federation_disabled = "federation_disabled"
    domain_blocked = "domain_blocked"
    cannot_combine_federation_blocklist_and_allowlist = "cannot_combine_federation_blocklist_and_allowlist"
    domain_not_in_allow_list = "domain_not_in_allow_list"
    federation_disabled_by_strict_allow_list = "federation_disabled_by_strict_allow_list"
    site_name_required = "site_name_required"
    site_name_length_overflow = "site_name_length_overflow"
    permissive_regex = "permissive_regex"
    invalid_regex = "invalid_regex"
    captcha_incorrect = "captcha_incorrect"
    couldnt_create_audio_captcha = "couldnt_create_audio_captcha"
    invalid_url_scheme = "invalid_url_scheme"
    couldnt_send_webmention = "couldnt_send_webmention"
    contradicting_filters = "contradicting_filters"
    instance_block_already_exists = "instance_block_already_exists"
    too_many_items = "too_many_items"
    community_has_no_followers = "community_has_no_followers"
    ban_expiration_in_past = "ban_expiration_in_past"
    invalid_unix_time = "invalid_unix_time"
    invalid_bot_action = "invalid_bot_action"
    cant_block_local_instance = "cant_block_local_instance"
    url_without_domain = "url_without_domain"
    inbox_timeout = "inbox_timeout"
    unknown = "unknown"
    cant_delete_site = "cant_delete_site"
    url_length_overflow = "url_length_overflow"
    cant_enable_private_instance_and_federation_together = "cant_enable_private_instance_and_federation_together"
    # Lemmy 1.0's
    already_exists = "already_exists"
    multi_community_update_wrong_user = "multi_community_update_wrong_user"
    cannot_combine_community_id_and_multi_community_id = "cannot_combine_community_id_and_multi_community_id"
    multi_community_entry_limit_reached = "multi_community_entry_limit_reached"
    couldnt_create = "couldnt_create"
    tag_not_in_community = "tag_not_in_community"
    missing_invite_token = "missing_invite_token"
    invalid_invite_token = "invalid_invite_token"
    # Agora's own
    too_large = "too_large"
    service_unavailable = "service_unavailable"
    not_found = "not_found"
    warning_reason_required = "warning_reason_required"
    custom_emoji_already_exists = "custom_emoji_already_exists"
    invalid_activity = "invalid_activity"  # an ActivityPub document we cannot read or will not apply
    bad_signature = "bad_signature"  # an inbox POST whose HTTP signature is missing or does not verify
    invalid_poll = "invalid_poll"  # a poll's choices or end time are outside the limits
    couldnt_find_poll = "couldnt_find_poll"
    invalid_poll_choice = "invalid_poll_choice"  # no such choice, or several in a single-choice poll
    poll_ended = "poll_ended"
    already_voted = "already_voted"  # a choice once made stays (Mastodon's and PieFed's rule)
    # Lemmy 1.0's OAuth / OIDC login
    oauth_authorization_invalid = "oauth_authorization_invalid"  # no such enabled provider, or a malformed request
    oauth_login_failed = "oauth_login_failed"  # the provider refused the code or answered what we cannot read
    oauth_registration_closed = "oauth_registration_closed"
    invalid_code_verifier = "invalid_code_verifier"
    registration_username_required = "registration_username_required"
    # Account moves (Agora's, on Mastodon's Move with alsoKnownAs)
    account_moved = "account_moved"  # the account moved to another: it writes nothing more, and moves only once
    invalid_alias = "invalid_alias"  # an alias that is not an actor's URL, one's own, or more than the limit
    move_target_not_aliased = "move_target_not_aliased"  # the new account does not list the old one in alsoKnownAs
    move_target_unreachable = "move_target_unreachable"  # the new account could not be found or fetched
    invalid_move_target = "invalid_move_target"  # oneself, a deleted account, or one that has moved on itself
    community_moved = "community_moved"  # the community moved to another: nothing more is posted in it


_STATUS = {
    Code.incorrect_login: 401,
    Code.instance_is_private: 401,
    Code.not_found: 404,
    Code.bad_signature: 401,
    Code.too_large: 413,
    Code.rate_limit_error: 429,
    Code.service_unavailable: 503,
}


class AgoraError(Exception):
    """A refusal with a stable code; never a bug. Raising it aborts the request's transaction."""

    def __init__(
        self, code: Code, message: str | None = None, *, status: int | None = None, retry_after: int | None = None
    ) -> None:
        super().__init__(message or code.value)
        self.code = Code(code)
        self.message = message
        self.status = status if status is not None else _STATUS.get(self.code, 400)
        self.retry_after = retry_after  # seconds, for a refusal that passes with time (sent as Retry-After)

    def __repr__(self) -> str:
        return f"AgoraError({self.code.value!r}, {self.message!r})"
