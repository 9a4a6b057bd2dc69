"""The words pages show for Lemmy's enum values (sorts, listing and search kinds): `TopNineMonths` is for machines."""

from __future__ import annotations

import re

# In the order a sort menu offers them.
POST_SORTS = {
    "Active": "Active",
    "Hot": "Hot",
    "Scaled": "Scaled",
    "New": "New",
    "Old": "Old",
    "Controversial": "Controversial",
    "MostComments": "Most comments",
    "NewComments": "New comments",
    "TopHour": "Top of the hour",
    "TopSixHour": "Top of six hours",
    "TopTwelveHour": "Top of twelve hours",
    "TopDay": "Top of the day",
    "TopWeek": "Top of the week",
    "TopMonth": "Top of the month",
    "TopThreeMonths": "Top of three months",
    "TopSixMonths": "Top of six months",
    "TopNineMonths": "Top of nine months",
    "TopYear": "Top of the year",
    "TopAll": "Top of all time",
}
OTHER = {
    "All": "All",
    "Local": "Local",
    "Subscribed": "Subscribed",
    "ModeratorView": "Moderated by me",
    "Comments": "Comments",
    "Posts": "Posts",
    "Communities": "Communities",
    "Users": "People",
    "Url": "Links",
}


def human(value: str | None) -> str:
    """A label for an enum value: its own where one is written, else its words split apart."""
    if not value:
        return ""
    known = POST_SORTS.get(value) or OTHER.get(value)
    if known:
        return known
    words = re.findall(r"[A-Z][a-z]*|[a-z]+|\d+", value)
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else value
