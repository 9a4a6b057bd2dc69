"""The URL blocklist's entries and matching, on the cases Lemmy 0.19 documents for its own."""

import pytest

from agora.domain.blocked_urls import compile_list, normalise
from agora.errors import AgoraError


def blocks(entries: list[str], text: str) -> bool:
    pattern = compile_list(tuple(dict.fromkeys(normalise(e) for e in entries)))
    return bool(pattern and pattern.search(text))


def test_entries_lose_scheme_and_trailing_slash_and_keep_path_and_query():
    assert normalise("https://evil.com/") == "evil.com"
    assert normalise("http://Evil.COM") == "evil.com"
    assert normalise("evil.com") == "evil.com"
    assert normalise("https://example.com/test?q=test2&q2=test3#test4") == "example.com/test?q=test2&q2=test3#test4"
    assert normalise("https://example.com:8443/a/") == "example.com:8443/a"


@pytest.mark.parametrize("entry", ["https://example .com", "http://", "https://exa mple.com/x", "http://[::1"])
def test_what_is_not_an_address_is_refused(entry):
    with pytest.raises(AgoraError) as caught:
        normalise(entry)
    assert caught.value.code == "invalid_url"


@pytest.mark.parametrize(
    ("entries", "text", "blocked"),
    [
        (["example.com/"], "[](https://example.com)", True),
        (["example.com/"], "Go to https://example.com to get free Robux", True),
        (["example.com/"], "[](https://example.blog)", False),
        (["example.com/"], "example.com", True),
        (["example.com/spam.jpg"], "![](https://example.com/spam.jpg)", True),
        (["example.com/spam.jpg"], "![](https://example.com/spam.jpg1)", False),
        (["quo.example.com/", "foo.example.com/", "bar.example.com/"], "https://baz.example.com", False),
        (["quo.example.com/", "foo.example.com/", "bar.example.com/"], "https://bar.example.com", True),
        (["example.com/banned_page"], "https://example.com/page", False),
        (["ex.mple.com/"], "example.com", False),
        (["rt.com/"], "deviantart.com", False),
        (["rt.com/"], "art.com.example.com", False),
        (["rt.com/"], "https://rt.com/abc", True),
        (["rt.com/"], "go to rt.com.", True),
        (["rt.com/"], "check out rt.computer", False),
        (["https://evil.com/"], "https://EVIL.com/path", True),
        (["evil.com", "evil.com/deeper", "evil.co"], "https://evil.co/x", True),
        (["evil.com", "evil.com/deeper", "evil.co"], "https://evil.cop/x", False),
    ],
)
def test_matching(entries, text, blocked):
    assert blocks(entries, text) is blocked


def test_a_long_list_is_one_pattern_that_still_finds_each_entry():
    entries = [f"spam{i}.example.org" for i in range(5000)]
    pattern = compile_list(tuple(entries))
    assert pattern.search("see https://spam4321.example.org/offer")
    assert not pattern.search("see https://spam5000.example.org/offer and spam12.example.organic")


def test_an_empty_list_blocks_nothing():
    assert compile_list(()) is None
