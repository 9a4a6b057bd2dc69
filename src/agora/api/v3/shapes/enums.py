"""Lemmy 0.19 enums, serialised exactly as these strings."""

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
CommentSortType = Literal["Hot", "Top", "New", "Old", "Controversial"]
ListingType = Literal["All", "Local", "Subscribed", "ModeratorView"]
SearchType = Literal["All", "Comments", "Posts", "Communities", "Users", "Url"]
RegistrationMode = Literal["Closed", "RequireApplication", "Open"]
SubscribedType = Literal["Subscribed", "NotSubscribed", "Pending"]
CommunityVisibility = Literal["Public", "LocalOnly"]
PostFeatureType = Literal["Local", "Community"]
PostListingMode = Literal["List", "Card", "SmallCard"]
