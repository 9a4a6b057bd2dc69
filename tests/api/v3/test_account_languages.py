"""A new account's languages follow the browser's Accept-Language as Lemmy 0.19's do, and the interface language
setting takes what Lemmy apps send (an empty string among them)."""

import httpx

from tests.support.admin import make_admin
from tests.support.client import PASSWORD, Api, unique_name

HEADER = "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"


def _register(server, accept_language: str | None) -> Api:
    headers = {"Accept-Language": accept_language} if accept_language is not None else {}
    body = {"username": unique_name(), "password": PASSWORD, "password_verify": PASSWORD}
    response = httpx.post(f"{server.base_url}/api/v3/user/register", json=body, headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    return Api(server.base_url, response.json()["jwt"])


def _languages(api: Api) -> tuple[str, list[str]]:
    site = api.get("/site")
    chosen = set(site["my_user"]["discussion_languages"])
    codes = [language["code"] for language in site["all_languages"] if language["id"] in chosen]
    return site["my_user"]["local_user_view"]["local_user"]["interface_language"], codes


def test_accept_language_sets_the_interface_and_adds_to_the_sites_languages(server, api):
    admin = make_admin(server)
    german = next(lang["id"] for lang in api.get("/site")["all_languages"] if lang["code"] == "de")
    admin.api.put("/site", {"discussion_languages": [german]})
    interface, codes = _languages(_register(server, "fr-CH, en;q=0.8, *;q=0.5"))  # Lemmy's own test
    assert (interface, codes) == ("fr", ["und", "de", "en", "fr"])
    interface, codes = _languages(_register(server, HEADER))
    assert (interface, codes) == ("fr", ["und", "de", "en", "fr"])
    interface, codes = _languages(_register(server, "en;q=0.5, pt-BR"))  # the most wanted first, not the first given
    assert (interface, codes) == ("pt", ["und", "de", "en", "pt"])


def test_without_site_languages_a_new_account_reads_every_language(server, api):
    every = len(api.get("/site")["all_languages"])
    interface, codes = _languages(_register(server, "fr-CH"))
    assert interface == "fr" and len(codes) == every


def test_without_a_usable_header_the_interface_follows_the_browser(server):
    for header in (None, "", "*", "x-klingon-1, ;q=abc, en;q=0"):
        interface, _codes = _languages(_register(server, header))
        assert interface == "browser", header


def test_interface_language_takes_an_empty_string_and_refuses_what_does_not_fit(api):
    member = api.register()
    settings = {"interface_language": "", "theme": "", "display_name": "user321", "default_sort_type": "Hot"}
    member.api.put("/user/save_user_settings", settings)  # Lemmy's api tests send exactly this
    local_user = member.api.get("/site")["my_user"]["local_user_view"]["local_user"]
    assert (local_user["interface_language"], local_user["theme"]) == ("", "")
    member.api.put("/user/save_user_settings", {"interface_language": "de"})
    assert member.api.get("/site")["my_user"]["local_user_view"]["local_user"]["interface_language"] == "de"
    too_long = {"interface_language": "x" * 21}
    assert member.api.error("PUT", "/user/save_user_settings", too_long)[0] == 400
