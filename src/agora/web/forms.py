"""Reading submitted forms, and saying what went wrong in words a person reads.

Handlers take the form as `CheckedForm` (its CSRF token already verified) and pull typed fields out of it with
these helpers; the limits themselves (lengths, URL rules) stay in the domain, which every surface shares.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import overload
from urllib.parse import urlsplit

from starlette.datastructures import FormData, UploadFile

from agora.domain import limits
from agora.errors import AgoraError, Code

# A submitted form, or a page's query parameters: both are read with the helpers below.
Fields = Mapping[str, str | UploadFile]
MAX_FIELD = 200_000  # longer than any domain limit: the domain refuses with its own message


def text(form: Fields, name: str, default: str = "") -> str:
    value = form.get(name)
    if not isinstance(value, str):
        return default
    return value[:MAX_FIELD].replace("\r\n", "\n")


def optional(form: Fields, name: str) -> str | None:
    """A text field, None when blank."""
    value = text(form, name).strip()
    return value or None


def flag(form: Fields, name: str) -> bool:
    return form.get(name) in ("on", "true", "1", "yes")


def number(form: Fields, name: str) -> int | None:
    value = text(form, name).strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise AgoraError(Code.invalid_body_field, f"{name} must be a number") from None
    if not -(2**31) < number < 2**31:
        raise AgoraError(Code.invalid_body_field, f"{name} is out of range")
    return number


def required_number(form: Fields, name: str) -> int:
    value = number(form, name)
    if value is None:
        raise AgoraError(Code.invalid_body_field, f"{name} is missing")
    return value


@overload
def choice(form: Fields, name: str, allowed: Collection[str], default: str) -> str: ...
@overload
def choice(form: Fields, name: str, allowed: Collection[str], default: str | None = None) -> str | None: ...


def choice(form: Fields, name: str, allowed: Collection[str], default: str | None = None) -> str | None:
    value = text(form, name).strip()
    if not value:
        return default
    if value not in allowed:
        raise AgoraError(Code.invalid_query, f"{name}: unknown choice")
    return value


def upload(form: FormData, name: str) -> UploadFile | None:
    value = form.get(name)
    if isinstance(value, UploadFile) and value.filename:
        return value
    return None


def local_path(target: str | None, default: str = "/") -> str:
    """Where to go after a form: only paths on this site, so `next` cannot send anyone elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


MESSAGES: dict[Code, str] = {
    Code.incorrect_login: "Wrong user name, email or password.",
    Code.not_logged_in: "Log in first.",
    Code.passwords_do_not_match: "The two passwords do not match.",
    Code.invalid_password: f"The password must be {limits.PASSWORD_MIN} to {limits.PASSWORD_MAX} characters long.",
    Code.user_already_exists: "That user name is taken.",
    Code.email_already_exists: "An account with that email already exists.",
    Code.email_required: "This site needs an email address.",
    Code.email_not_verified: "Verify your email address first.",
    Code.invalid_name: "A name is at least 3 letters, digits or underscores, and no longer than this site allows.",
    Code.invalid_display_name: "That display name is too short or too long.",
    Code.registration_closed: "Registration is closed on this site.",
    Code.registration_application_answer_required: "Please answer the question to apply.",
    Code.missing_invite_token: "This site takes new members by invitation: please give yours.",
    Code.invalid_invite_token: "That invitation is unknown, used up, expired or revoked.",
    Code.registration_application_is_pending: "Your application is waiting for an admin's approval.",
    Code.registration_denied: "Your application was denied.",
    Code.captcha_incorrect: "The captcha answer was wrong; try the new one.",
    Code.honeypot_failed: "This form was filled in by a robot.",
    Code.site_ban: "You are banned from this site.",
    Code.deleted: "That was deleted.",
    Code.banned_from_community: "You are banned from this community.",
    Code.person_is_banned_from_community: "You are banned from this community.",
    Code.couldnt_find_community: "No such community.",
    Code.couldnt_find_person: "No such person.",
    Code.couldnt_find_post: "No such post.",
    Code.couldnt_find_comment: "No such comment.",
    Code.couldnt_find_private_message: "No such message.",
    Code.couldnt_find_registration_application: "No such application.",
    Code.not_found: "Nothing is here.",
    Code.community_already_exists: "A community with that name already exists.",
    Code.only_admins_can_create_communities: "Only admins may create communities on this site.",
    Code.only_mods_can_post_in_community: "Only moderators may post in this community.",
    Code.invalid_post_title: f"A title is {limits.POST_TITLE_MIN} to {limits.POST_TITLE_MAX} characters.",
    Code.post_title_too_long: "The title is too long.",
    Code.invalid_body_field: "Something in the form is not valid.",
    Code.invalid_url: "That is not a valid link (it must start with http:// or https://).",
    Code.url_length_overflow: "The link is too long.",
    Code.invalid_url_scheme: "Links must start with http:// or https://.",
    Code.url_without_domain: "That link has no domain.",
    Code.alt_text_length_overflow: "The image description is too long.",
    Code.language_not_allowed: "This community does not allow that language.",
    Code.invalid_matrix_id: "A Matrix user looks like @name:server.org.",
    Code.invalid_vote_value: "A vote is up, down or nothing.",
    Code.ban_expiration_in_past: "A ban must end in the future.",
    Code.not_higher_admin: "Admins cannot be banned; remove their admin rights first.",
    Code.cant_block_admin: "Admins cannot be blocked.",
    Code.cannot_leave_admin: "The last admin cannot leave.",
    Code.site_description_length_overflow: "The description is too long.",
    Code.invalid_regex: "That slur filter is not a valid regular expression.",
    Code.permissive_regex: "That slur filter would match almost everything.",
    Code.community_moderator_already_exists: "They are a moderator already.",
    Code.edit_private_message_not_allowed: "Only the sender may edit a message.",
    Code.couldnt_find_post_report: "No such report.",
    Code.couldnt_find_comment_report: "No such report.",
    Code.couldnt_find_private_message_report: "No such report.",
    Code.too_many_items: "Too many at once.",
    Code.blocked_url: "Links to that site are not allowed here.",
    Code.locked: "This post is locked: no new comments.",
    Code.post_is_locked: "This post is locked.",
    Code.max_comment_depth_reached: "This thread is as deep as it may go.",
    Code.no_comment_edit_allowed: "Only the author may edit this comment.",
    Code.no_post_edit_allowed: "Only the author may edit this post.",
    Code.not_a_moderator: "Only moderators may do that.",
    Code.not_a_mod_or_admin: "Only moderators and admins may do that.",
    Code.not_an_admin: "Only admins may do that.",
    Code.not_top_mod: "Only the top moderator may do that.",
    Code.downvotes_are_disabled: "Downvotes are turned off on this site.",
    Code.slurs: "The text contains words this site does not allow.",
    Code.instance_is_private: "This site is only for its members: log in.",
    Code.rate_limit_error: "Too many actions in a short time; wait a moment and try again.",
    Code.too_large: "That is too large.",
    Code.not_an_image_type: "That file is not an image we can read.",
    Code.report_reason_required: "Say why you are reporting this.",
    Code.report_too_long: "The reason is too long.",
    Code.warning_reason_required: "Say what they did wrong; they read it.",
    Code.application_question_required: "Requiring applications needs a registration question.",
    Code.site_name_required: "The site needs a name.",
    Code.site_name_length_overflow: "The site name is too long.",
    Code.bio_length_overflow: "The bio is too long.",
    Code.cannot_create_post_or_comment_in_deleted_or_removed_community: "This community is closed.",
    Code.cant_block_yourself: "You cannot block yourself.",
    Code.person_is_blocked: "You cannot message this person.",
    Code.service_unavailable: "The database is unreachable right now; try again shortly.",
    Code.couldnt_get_posts: "Those posts could not be listed.",
    Code.couldnt_get_comments: "Those comments could not be listed.",
    Code.invalid_query: "Something in the request is not valid.",
    Code.missing_totp_token: "Enter the code from your authenticator app.",
    Code.incorrect_totp_token: "The authenticator code is wrong.",
    Code.poll_ended: "This poll has ended.",
    Code.already_voted: "You have already made that choice; a vote cannot be changed.",
    Code.invalid_poll_choice: "Choose one of the poll's choices.",
}


def message(error: AgoraError) -> str:
    """One readable line for an AgoraError, with the domain's own detail when it gave one."""
    base = MESSAGES.get(error.code) or error.code.value.replace("_", " ").capitalize() + "."
    detail = error.message if error.message and error.message != error.code.value else None
    if detail and error.code == Code.rate_limit_error:
        return detail  # it says how long to wait
    if detail and error.code in (
        Code.invalid_body_field,
        Code.invalid_query,
        Code.unknown,
        Code.too_large,
        Code.invalid_poll,
        Code.site_ban,
    ):
        return f"{base} ({detail})"
    return base


def refusal(error: AgoraError, fields: Mapping[Code, str]) -> dict[str, str]:
    """What a refused form shows: the message beside the field the error concerns (`fields` names it by code), or
    under "form", at the top of the form. Templates read it with the field_error and invalid macros."""
    return {fields.get(error.code, "form"): message(error)}
