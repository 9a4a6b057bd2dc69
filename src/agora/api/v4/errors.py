"""Errors as Lemmy 1.0 sends them: `{"error": code, "message"?: …}` with 1.0's codes and statuses.

Lemmy 1.0 folded the many `couldnt_find_*` codes into `not_found` (404), and most `couldnt_<verb>_*` into
`couldnt_update` / `couldnt_create`; a wrong password is 401. Agora's rules raise 0.19's codes (v3 sends them
unchanged); this table renames them for v4. A code with no 1.0 equivalent goes out as it is, as Lemmy 1.0 does
with its untranslated ones.
"""

from __future__ import annotations

from agora.errors import Code

NOT_FOUND = "not_found"
_RENAMED = {
    Code.couldnt_update_user: "couldnt_update",
    Code.couldnt_update_comment: "couldnt_update",
    Code.couldnt_update_private_message: "couldnt_update",
    Code.couldnt_update_post: "couldnt_update",
    Code.couldnt_update_community: "couldnt_update",
    Code.couldnt_update_community_hidden_status: "couldnt_update",
    Code.couldnt_update_replies: "couldnt_update",
    Code.couldnt_update_person_mentions: "couldnt_update",
    Code.couldnt_update_private: "couldnt_update",
    Code.couldnt_like_comment: "couldnt_update",
    Code.couldnt_like_post: "couldnt_update",
    Code.couldnt_save_comment: "couldnt_update",
    Code.couldnt_save_post: "couldnt_update",
    Code.couldnt_mark_post_as_read: "couldnt_update",
    Code.couldnt_hide_post: "couldnt_update",
    Code.couldnt_resolve_report: "couldnt_update",
    Code.couldnt_create_comment: "couldnt_create",
    Code.couldnt_create_post: "couldnt_create",
    Code.couldnt_create_private_message: "couldnt_create",
    Code.couldnt_create_report: "couldnt_create",
    Code.community_already_exists: "already_exists",
    Code.site_already_exists: "already_exists",
    Code.user_already_exists: "username_already_taken",
    Code.email_already_exists: "email_already_taken",
    Code.community_moderator_already_exists: "already_exists",
    Code.community_user_already_banned: "already_exists",
    Code.community_block_already_exists: "already_exists",
    Code.community_follower_already_exists: "already_exists",
    Code.person_block_already_exists: "already_exists",
    Code.instance_block_already_exists: "already_exists",
    Code.custom_emoji_already_exists: "already_exists",
    Code.banned_from_community: "person_is_banned_from_community",
    Code.banned: "site_ban",
    Code.post_is_locked: "locked",
    Code.post_title_too_long: "invalid_post_title",
    Code.only_mods_can_post_in_community: "not_a_moderator",
    Code.rate_limit_error: "too_many_requests",
    Code.token_not_found: "not_logged_in",
    Code.couldnt_get_posts: "invalid_body_field",
    Code.couldnt_get_comments: "invalid_body_field",
    Code.invalid_query: "invalid_body_field",
    Code.couldnt_find_object: "resolve_object_failed",
}


def v4_error(code: Code, status: int) -> tuple[str, int]:
    """Lemmy 1.0's code and status for an Agora error raised with `code` and `status`."""
    if code.value.startswith("couldnt_find_") and code is not Code.couldnt_find_object:
        return NOT_FOUND, 404
    if code is Code.not_found:
        return NOT_FOUND, 404
    if code is Code.incorrect_login:
        return code.value, 401
    return _RENAMED.get(code, code.value), status
