from html.parser import HTMLParser

import pytest

from agora.text.markdown import Emoji, render
from agora.text.mentions import Mention, find_mentions

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<<script>script>alert(1)<</script>/script>",
    "[a](vbscript:msgbox(1))",
]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_render_harmless(payload):
    for tag, attrs in elements(render(payload)):
        assert tag not in {"script", "iframe", "svg", "object", "embed", "style"}
        assert not any(name.startswith("on") or name == "style" for name in attrs)
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)


def test_links_get_nofollow_ugc_and_images_are_lazy():
    html = render("[site](https://example.com) ![pic](https://example.com/p.png)")
    assert 'rel="nofollow ugc noopener"' in html
    assert 'loading="lazy"' in html


def test_lemmy_extensions():
    html = render("~~gone~~ ^up^ ~down~\n\n::: spoiler Secret\ninside\n:::")
    assert "<s>gone</s>" in html and "<sup>up</sup>" in html and "<sub>down</sub>" in html
    assert "<details><summary>Secret</summary>" in html


def test_custom_emoji_render_as_images_with_alt_text():
    html = render("I :heart: this", {"heart": Emoji("https://img.example/heart.png", "red heart")})
    assert '<img src="https://img.example/heart.png" alt="red heart"' in html
    assert ":nope:" in render("keep :nope: as text", {"heart": Emoji("u", "a")})


def test_mentions_link_to_local_pages():
    html = render("hi @bob@lemmy.ml and !memes@lemmy.world")
    assert '<a href="/u/bob@lemmy.ml"' in html and '<a href="/c/memes@lemmy.world"' in html


def test_mentions_of_dotless_hosts_and_absolute_links_for_other_servers():
    """Lemmy takes any host name (`lemmy-beta:8551`, `localhost:8536`); HTML sent to other servers links home."""
    text = "hi @bob@lemmy-beta:8551, !main@localhost:8536 and @тест@lemmy.ml."
    assert find_mentions(text) == [Mention("bob", "lemmy-beta:8551"), Mention("тест", "lemmy.ml")]
    html = render(text, base_url="https://here.example")
    assert '<a href="https://here.example/u/bob@lemmy-beta:8551"' in html
    assert '<a href="https://here.example/c/main@localhost:8536"' in html
    assert '<a href="https://here.example/u/тест@lemmy.ml"' in html


def test_find_mentions_skips_code_and_emails():
    text = "hi @alice, @bob@lemmy.ml twice @bob@lemmy.ml, not `@code`, not mail x@example.com"
    assert find_mentions(text) == [Mention("alice", None), Mention("bob", "lemmy.ml")]


def test_bare_person_and_community_names_become_links_here():
    html = render("thanks @alice, more in !garden; not a@b.c, not Wow! nor `@code`")
    assert '<a href="/u/alice"' in html and '<a href="/c/garden"' in html
    assert 'href="/u/b' not in html and "/c/nor" not in html and "<code>@code</code>" in html
