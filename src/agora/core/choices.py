"""The names Lemmy 0.19 gives a reader's choices: the API validates requests against them, the domain checks a
member's or the site's stored defaults."""

from __future__ import annotations

from typing import Literal

SortType = Literal[
    "Active",
    "Hot",
    "New",
    "Old",
    "TopDay",
    "TopWeek",
    "TopMonth",
    "TopYear",
    "TopAll",
    "MostComments",
    "NewComments",
    "TopHour",
    "TopSixHour",
    "TopTwelveHour",
    "TopThreeMonths",
    "TopSixMonths",
    "TopNineMonths",
    "Controversial",
    "Scaled",
]
ListingType = Literal["All", "Local", "Subscribed", "ModeratorView"]
PostListingMode = Literal["List", "Card", "SmallCard"]
