import pytest

from agora.domain import limits
from agora.errors import AgoraError
from agora.queries import paging


def code(fn, *args):
    with pytest.raises(AgoraError) as info:
        fn(*args)
    return info.value.code.value


def test_titles():
    assert limits.check_title("  abc  ") == "abc"
    assert code(limits.check_title, "ab") == "invalid_post_title"
    assert code(limits.check_title, "a\nb c") == "invalid_post_title"
    assert code(limits.check_title, "x" * 201) == "invalid_post_title"


def test_urls():
    assert limits.check_url("https://example.com/x") == "https://example.com/x"
    assert limits.check_url("") is None
    assert limits.check_url("magnet:?xt=urn:btih:abc").startswith("magnet:")
    assert code(limits.check_url, "javascript:alert(1)") == "invalid_url_scheme"
    assert code(limits.check_url, "https:///nohost") == "url_without_domain"
    assert code(limits.check_url, "https://example.com/" + "a" * 2000) == "url_length_overflow"
    assert code(limits.check_image_url, "magnet:?xt=urn:btih:abc") == "invalid_url_scheme"


def test_names():
    assert limits.check_actor_name("good_name1", 20) == "good_name1"
    for bad in ("ab", "with space", "ünïcode", "x" * 21, "semi;colon"):
        assert code(limits.check_actor_name, bad, 20) == "invalid_name"


def test_slur_filter():
    limits.check_slurs(None, "anything")
    limits.check_slurs("badword", "a clean text")
    assert code(limits.check_slurs, "badword", "a BADWORD here") == "slurs"


def test_paging():
    assert paging.check_page(None, None) == (1, 10)
    assert code(paging.check_page, 0, 10) == "unknown"
    assert code(paging.check_page, 1, 51) == "unknown"
