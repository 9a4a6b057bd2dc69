"""Input limits and their checks, in one place (Lemmy 0.19's numbers and error codes)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sized
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TypeVar
from urllib.parse import urlsplit

from agora.errors import AgoraError, Code

Bounded = TypeVar("Bounded", bound=Sized | None)

POST_TITLE_MAX = 200
POST_TITLE_MIN = 3
POST_BODY_MAX = 50_000
COMMENT_MAX = 10_000
MARKDOWN_MAX = 10_000  # descriptions, sidebars, private messages
BIO_MAX = 1_000
DISPLAY_NAME_MAX = 50
URL_MAX = 2_000
ALT_TEXT_MAX = 1_500
SITE_NAME_MAX = 20
SITE_DESCRIPTION_MAX = 150
REPORT_REASON_MAX = 1_000
MOD_REASON_MAX = 1_000  # removals, bans, purges, warnings
PASSWORD_MIN = 10
PASSWORD_MAX = 60
COMMENT_DEPTH_MAX = 50
MANY_IDS_MAX = 10_000
POLL_CHOICES_MIN = 2
POLL_CHOICES_MAX = 20
POLL_CHOICE_MAX = 200  # characters of one choice
POLL_DURATION_MIN = timedelta(minutes=5)  # a local poll's end, counted from its creation (Mastodon's bounds)
POLL_DURATION_MAX = timedelta(days=31)
POLL_DURATION_DEFAULT = timedelta(days=3)  # PieFed's default

_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_SCRIPTS = ("ARABIC", "CYRILLIC")  # besides Latin, the alphabets Lemmy 0.19 takes in names
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _one_alphabet(name: str) -> bool:
    """Letters of one alphabet with digits and underscores, as Lemmy checks names: Latin (ASCII), Arabic or
    Cyrillic, never mixed, so a name cannot imitate another with look-alike letters."""
    if _NAME.match(name):
        return True
    for script in _SCRIPTS:
        if all((c.isascii() and (c.isdigit() or c == "_")) or unicodedata.name(c, "").startswith(script) for c in name):
            return True
    return False


def check_actor_name(name: str, max_length: int) -> str:
    if not (3 <= len(name) <= max_length) or "\n" in name or not _one_alphabet(name):
        raise AgoraError(Code.invalid_name)
    return name


def check_community_name(name: str, max_length: int) -> str:
    return check_actor_name(name, max_length)


def check_display_name(name: str | None) -> str | None:
    name = _stripped(name)
    if name is None:
        return None
    if len(name) > DISPLAY_NAME_MAX or any(ch in name for ch in "\n\r\t@") or name.startswith("\u200b"):
        raise AgoraError(Code.invalid_display_name)
    return name


def check_title(title: str) -> str:
    if "\n" in title or "\r" in title:
        raise AgoraError(Code.invalid_post_title)
    stripped = title.strip()
    if not (POST_TITLE_MIN <= len(stripped) <= POST_TITLE_MAX):
        raise AgoraError(Code.invalid_post_title)
    return stripped


def check_community_title(title: str) -> str:
    stripped = title.strip()
    if not stripped or len(stripped) > 100 or "\n" in stripped:
        raise AgoraError(Code.invalid_body_field, "community title must be 1-100 characters on one line")
    return stripped


def check_body(body: str | None, max_length: int) -> str | None:
    return _at_most(body, max_length, Code.invalid_body_field)


def check_comment(content: str) -> str:
    if not content.strip():
        raise AgoraError(Code.invalid_body_field, "comment is empty")
    check_body(content, COMMENT_MAX)
    return content


def check_url(url: str | None) -> str | None:
    """A user-supplied link: http(s) only (magnet too, as Lemmy), absolute, at most 2000 characters."""
    url = _stripped(url)
    if url is None:
        return None
    if len(url) > URL_MAX:
        raise AgoraError(Code.url_length_overflow)
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "magnet":
        return url
    if scheme not in ("http", "https"):
        raise AgoraError(Code.invalid_url_scheme)
    parts = urlsplit(url)
    if not parts.hostname:
        raise AgoraError(Code.url_without_domain)
    if any(ch.isspace() for ch in url):
        raise AgoraError(Code.invalid_url)
    return url


def check_image_url(url: str | None) -> str | None:
    """Avatars, icons, banners: like check_url, without magnet links."""
    url = check_url(url)
    if url is not None and url.lower().startswith("magnet:"):
        raise AgoraError(Code.invalid_url_scheme)
    return url


def check_alt_text(alt_text: str | None) -> str | None:
    return _at_most(alt_text, ALT_TEXT_MAX, Code.alt_text_length_overflow)


def check_bio(bio: str | None) -> str | None:
    return _at_most(bio, BIO_MAX, Code.bio_length_overflow)


def check_password(password: str) -> str:
    if not (PASSWORD_MIN <= len(password) <= PASSWORD_MAX):
        raise AgoraError(Code.invalid_password, f"a password has {PASSWORD_MIN} to {PASSWORD_MAX} characters")
    return password


def check_email(email: str | None) -> str | None:
    email = _stripped(email)
    if email is None:
        return None
    if len(email) > 320 or not _EMAIL.match(email):
        raise AgoraError(Code.invalid_query, "invalid email address")
    return email


def check_site_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise AgoraError(Code.site_name_required)
    return _at_most(name, SITE_NAME_MAX, Code.site_name_length_overflow)


def check_site_description(description: str | None) -> str | None:
    return _at_most(description, SITE_DESCRIPTION_MAX, Code.site_description_length_overflow)


def check_many_ids(ids: list[int]) -> list[int]:
    return _at_most(ids, MANY_IDS_MAX, Code.too_many_items)


@lru_cache(maxsize=8)
def _slur_pattern(regex: str) -> re.Pattern[str] | None:
    try:
        return re.compile(regex, re.IGNORECASE)
    except re.error:
        return None


def check_slurs(regex: str | None, *texts: str | None) -> None:
    """Refuse text that matches the site's slur filter (an admin-set regular expression)."""
    if not regex:
        return
    pattern = _slur_pattern(regex)
    if pattern is None:
        return
    for text in texts:
        if text and pattern.search(text):
            raise AgoraError(Code.slurs)


def check_report_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise AgoraError(Code.report_reason_required)
    return _at_most(reason, REPORT_REASON_MAX, Code.report_too_long)


def check_mod_reason(reason: str | None, *, required: Code | None = None) -> str | None:
    """A moderator's optional reason; blank means none, unless `required` names the error to give."""
    reason = (reason or "").strip() or None
    if reason is None and required is not None:
        raise AgoraError(required)
    return _at_most(reason, MOD_REASON_MAX, Code.invalid_body_field, f"a reason is at most {MOD_REASON_MAX} characters")


def check_poll_choices(names: list[str]) -> list[str]:
    """A poll's choices: 2 to 20, each one line of 1 to 200 characters, no two alike."""
    cleaned = [" ".join(name.split()) if isinstance(name, str) else "" for name in names]
    if not (POLL_CHOICES_MIN <= len(cleaned) <= POLL_CHOICES_MAX):
        raise AgoraError(Code.invalid_poll, f"a poll has {POLL_CHOICES_MIN} to {POLL_CHOICES_MAX} choices")
    if any(not (1 <= len(name) <= POLL_CHOICE_MAX) for name in cleaned):
        raise AgoraError(Code.invalid_poll, f"a choice has 1 to {POLL_CHOICE_MAX} characters")
    if len(set(cleaned)) != len(cleaned):
        raise AgoraError(Code.invalid_poll, "two choices are the same")
    return cleaned


def check_poll_end(end_time: datetime | None, at: datetime) -> datetime:
    """A local poll's end: 5 minutes to 31 days after `at`; three days when not given."""
    if end_time is None:
        return at + POLL_DURATION_DEFAULT
    if end_time.tzinfo is None:
        raise AgoraError(Code.invalid_poll, "the end time has no time zone")
    if not (at + POLL_DURATION_MIN <= end_time <= at + POLL_DURATION_MAX):
        raise AgoraError(Code.invalid_poll, "a poll ends 5 minutes to 31 days after it starts")
    return end_time


def _at_most(value: Bounded, maximum: int, code: Code, detail: str | None = None) -> Bounded:
    """`value` as given when it is absent or holds at most `maximum` items (characters); AgoraError(code) if more."""
    if value is not None and len(value) > maximum:
        raise AgoraError(code, detail)
    return value


def _stripped(text: str | None) -> str | None:
    """`text` without the white space around it; None when absent or blank."""
    return (text.strip() or None) if text is not None else None
