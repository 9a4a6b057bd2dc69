"""Lemmy 1.0's CommunityPostTag entries read leniently: odd entries are skipped, ids off the community's host are
not believed, and what we write reads back the same."""

from agora.federation.objects import tags

GROUP = "https://lemmy.example/c/news"


def test_a_groups_tags_keep_only_readable_entries_on_its_own_host():
    document = {
        "tag": [
            {"type": "CommunityPostTag", "id": f"{GROUP}/tag/world", "preferredUsername": "world", "color": ["x"]},
            {"type": "CommunityPostTag", "id": "https://other.example/tag/spam", "preferredUsername": "spam"},
            {"type": "CommunityPostTag", "id": 5, "preferredUsername": {"a": 1}},
            {"type": "Hashtag", "href": f"{GROUP}/tag/x", "name": "#x"},
            "junk",
            None,
        ]
    }
    [world] = tags.offered(document, GROUP)
    assert (world.ap_id, world.name, world.color) == (f"{GROUP}/tag/world", "world", None)


def test_a_tag_we_write_reads_back():
    row = {
        "ap_id": f"{GROUP}/tag/sport",
        "name": "sport",
        "display_name": "Sport",
        "summary": "Games",
        "color": "color04",
    }
    [read] = tags.offered({"tag": [tags.tag(row)]}, GROUP)
    assert (read.ap_id, read.name, read.display_name, read.summary, read.color) == (
        row["ap_id"],
        "sport",
        "Sport",
        "Games",
        "color04",
    )
    assert tags.carried({"tag": tags.tag(row)}) == [row["ap_id"]]
