"""Lemmy 0.19 enums, serialised exactly as these strings."""

from typing import Literal

from agora.core.choices import ListingType as ListingType
from agora.core.choices import PostListingMode as PostListingMode
from agora.core.choices import SortType as SortType

CommentSortType = Literal["Hot", "Top", "New", "Old", "Controversial"]
SearchType = Literal["All", "Comments", "Posts", "Communities", "Users", "Url"]
RegistrationMode = Literal["Closed", "RequireApplication", "Open"]
SubscribedType = Literal["Subscribed", "NotSubscribed", "Pending"]
CommunityVisibility = Literal["Public", "LocalOnly"]
PostFeatureType = Literal["Local", "Community"]
