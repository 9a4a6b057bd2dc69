"""Mentions in markdown: `@name` (local) and `@name@host`, outside code."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
# Any host name Lemmy's own pattern takes, dotless ones included (`lemmy-beta:8551`, `localhost:8536`).
HOST = r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(?::\d{1,5})?"
NAME = r"\w{1,64}"  # Latin, Arabic and Cyrillic names (domain.limits)
_MENTION = re.compile(rf"(?<![\w@/])@({NAME})(?:@({HOST}))?\b")


@dataclass(frozen=True, slots=True)
class Mention:
    name: str
    host: str | None  # None: on the author's own instance

    def on(self, local_host: str) -> bool:
        return self.host is None or self.host.lower() == local_host.lower()


def find_mentions(markdown: str | None) -> list[Mention]:
    """Distinct mentions in order of first appearance; mentions inside code spans and blocks do not count."""
    if not markdown:
        return []
    text = _CODE.sub(" ", markdown)
    seen: dict[tuple[str, str | None], Mention] = {}
    for match in _MENTION.finditer(text):
        name, host = match.group(1), match.group(2)
        key = (name.lower(), host.lower() if host else None)
        if key not in seen:
            seen[key] = Mention(name, host)
    return list(seen.values())
