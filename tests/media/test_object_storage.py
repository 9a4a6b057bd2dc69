"""Media in an S3-compatible bucket (AGORA_MEDIA_URL): moto's S3 server on loopback, spoken to over real HTTP.

Uploads and thumbnails land under the prefix and come back byte for byte with the local store's headers, or by a
redirect to the public address; deletes remove the objects; a store that cannot be reached answers 503 with a
message, and nothing is kept.
"""

import io

import httpx
import pytest
from PIL import Image

from tests.support.images import stored_files, upload
from tests.support.s3 import running_s3

VOLATILE = {"date", "etag", "last-modified", "x-request-id"}  # differ between any two responses or files


@pytest.fixture(scope="module")
def s3():
    with running_s3() as store:
        yield store


def _png(size=(320, 200), colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def _uploaded(server, token: str, data: bytes) -> dict:
    response = upload(server, token, data)
    assert response.status_code == 200, response.text
    return response.json()["files"][0]


def _thumb(name: str) -> str:
    return name.rsplit(".", 1)[0] + "-thumb.webp"


def test_an_upload_lands_under_the_prefix_and_is_served_as_the_local_store_serves_it(server_factory, s3):
    bucket = s3.new_bucket()
    in_bucket = server_factory(**s3.settings(bucket, prefix="agora/media"))
    on_disk = server_factory()
    name = _uploaded(in_bucket, in_bucket.api().register().token, _png())["file"]
    local_name = _uploaded(on_disk, on_disk.api().register().token, _png())["file"]
    assert s3.keys(bucket) == sorted([f"agora/media/{name}", f"agora/media/{_thumb(name)}"])
    # the two servers share one media folder: only the local one's files are in it
    assert [path.name for path in stored_files(in_bucket)] == sorted([local_name, _thumb(local_name)])

    for query in ({}, {"thumbnail": 256}):
        served = httpx.get(f"{in_bucket.base_url}/pictrs/image/{name}", params=query)
        local = httpx.get(f"{on_disk.base_url}/pictrs/image/{local_name}", params=query)
        assert served.status_code == local.status_code == 200
        stored, found = s3.body(bucket, f"agora/media/{_thumb(name) if query else name}")
        assert served.content == stored == local.content  # the same pixels encode to the same bytes
        assert found["ContentType"] == served.headers["content-type"] == ("image/webp" if query else "image/png")
        assert set(served.headers) == set(local.headers)
        same = {key: value for key, value in local.headers.items() if key not in VOLATILE}
        assert {key: served.headers[key] for key in same} == same
        assert served.headers["etag"] == found["ETag"]
        assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert served.headers["x-content-type-options"] == "nosniff"

    part = httpx.get(f"{in_bucket.base_url}/pictrs/image/{name}", headers={"Range": "bytes=0-99"})
    local_part = httpx.get(f"{on_disk.base_url}/pictrs/image/{local_name}", headers={"Range": "bytes=0-99"})
    assert part.status_code == local_part.status_code == 206
    assert part.content == local_part.content and len(part.content) == 100
    assert part.headers["content-range"] == local_part.headers["content-range"]

    for missing in ("A" * 22 + ".png", "not-a-name", "a.txt"):
        answer = httpx.get(f"{in_bucket.base_url}/pictrs/image/{missing}")
        assert (answer.status_code, answer.content) == (404, b"")


def test_with_a_public_address_images_are_served_by_a_redirect(server_factory, s3):
    bucket = s3.new_bucket()
    server = server_factory(**s3.settings(bucket, media_public_url="https://cdn.example.org/media/"))
    name = _uploaded(server, server.api().register().token, _png())["file"]
    answer = httpx.get(f"{server.base_url}/pictrs/image/{name}")
    assert answer.status_code == 302
    assert answer.headers["location"] == f"https://cdn.example.org/media/{name}"
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    thumb = httpx.get(f"{server.base_url}/pictrs/image/{name}", params={"thumbnail": 256})
    assert thumb.headers["location"] == f"https://cdn.example.org/media/{_thumb(name)}"
    stored, found = s3.body(bucket, f"media/{name}")  # what the public address serves, headers and all
    assert found["ContentType"] == "image/png" and found["CacheControl"] == "public, max-age=31536000, immutable"
    assert Image.open(io.BytesIO(stored)).size == (320, 200)


def test_a_private_instance_proxies_its_images_rather_than_redirect_to_the_public_address(server_factory, s3):
    from tests.support.admin import make_admin

    bucket = s3.new_bucket()
    server = server_factory(**s3.settings(bucket, media_public_url="https://cdn.example.org/media"))
    admin = make_admin(server)
    member = server.api().register()
    admin.api.put("/site", {"federation_enabled": False, "private_instance": True})
    name = _uploaded(server, member.token, _png())["file"]
    assert httpx.get(f"{server.base_url}/pictrs/image/{name}").status_code == 401
    seen = httpx.get(f"{server.base_url}/pictrs/image/{name}", cookies={"jwt": member.token})
    assert seen.status_code == 200 and seen.headers["cache-control"].startswith("private")
    assert seen.content == s3.body(bucket, f"media/{name}")[0]


def test_deleting_an_upload_deletes_its_objects(server_factory, s3):
    bucket = s3.new_bucket()
    server = server_factory(**s3.settings(bucket))
    member = server.api().register()
    first, second = _uploaded(server, member.token, _png()), _uploaded(server, member.token, _png((64, 64)))
    base = server.base_url
    assert httpx.get(f"{base}/pictrs/image/delete/wrong-token/{first['file']}").status_code == 404
    assert len(s3.keys(bucket)) == 4
    assert httpx.get(f"{base}/pictrs/image/delete/{first['delete_token']}/{first['file']}").status_code == 204
    remaining = sorted([f"media/{second['file']}", f"media/{_thumb(second['file'])}"])
    assert s3.wait_for_keys(bucket, remaining) == remaining
    assert httpx.get(f"{base}/pictrs/image/{first['file']}").status_code == 404

    deleted = httpx.request(
        "DELETE", f"{base}/api/v4/account/media", json={"filename": second["file"]}, cookies={"jwt": member.token}
    )
    assert deleted.status_code == 200, deleted.text
    assert s3.wait_for_keys(bucket, []) == []
    assert httpx.get(f"{base}/pictrs/image/{second['file']}").status_code == 404


def test_purging_a_person_or_a_post_deletes_their_objects(server_factory, s3):
    from tests.support.admin import make_admin

    bucket = s3.new_bucket()
    server = server_factory(**s3.settings(bucket))
    admin, member, other = make_admin(server), server.api().register(), server.api().register()
    purged, linked = _uploaded(server, member.token, _png()), _uploaded(server, other.token, _png((48, 48)))
    kept = _uploaded(server, other.token, _png((40, 40)))
    url = f"{server.base_url}/pictrs/image/{linked['file']}"
    post = other.post(other.community()["community"]["id"], url=url)["post"]
    assert len(s3.keys(bucket)) == 6
    admin.api.post("/admin/purge/person", {"person_id": member.person_id})
    admin.api.post("/admin/purge/post", {"post_id": post["id"]})
    remaining = sorted([f"media/{kept['file']}", f"media/{_thumb(kept['file'])}"])
    assert s3.wait_for_keys(bucket, remaining) == remaining
    assert httpx.get(f"{server.base_url}/pictrs/image/{purged['file']}").status_code == 404


def test_a_store_that_cannot_be_reached_answers_503_and_keeps_nothing(server_factory, s3):
    from tests.conftest import free_port

    down = server_factory(**s3.settings("agora-nowhere", s3_endpoint_url=f"http://127.0.0.1:{free_port()}"))
    member = down.api().register()
    response = upload(down, member.token, _png())
    assert response.status_code == 503
    assert response.json()["error"] == "service_unavailable"
    assert "media store is unavailable" in response.json()["message"]
    assert member.api.get("/account/list_media")["images"] == []
    assert httpx.get(f"{down.base_url}/pictrs/healthz").status_code == 503
    assert httpx.get(f"{down.base_url}/api/v4/image/health").status_code == 503
    assert httpx.get(f"{down.base_url}/pictrs/image/{'A' * 22}.png").status_code == 503

    no_bucket = server_factory(**s3.settings("agora-no-such-bucket"))
    member = no_bucket.api().register()
    assert upload(no_bucket, member.token, _png()).status_code == 503
    assert member.api.get("/account/list_media")["images"] == []
    assert httpx.get(f"{no_bucket.base_url}/pictrs/healthz").status_code == 503

    bucket = s3.new_bucket()
    working = server_factory(**s3.settings(bucket))
    assert httpx.get(f"{working.base_url}/pictrs/healthz").status_code == 200
    assert httpx.get(f"{working.base_url}/api/v4/image/health").json() == {"success": True}


def test_settings_that_name_no_bucket_are_refused_at_start(tmp_path):
    from tests.cli.test_cli import run

    database = {"AGORA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db"}
    refused = [
        ({"AGORA_MEDIA_URL": "https://bucket.example/media"}, "s3://BUCKET"),
        ({"AGORA_MEDIA_URL": "s3:///media"}, "s3://BUCKET"),
        ({"AGORA_MEDIA_URL": "s3://bucket", "AGORA_S3_ACCESS_KEY_ID": "key"}, "AGORA_S3_SECRET_ACCESS_KEY"),
        ({"AGORA_MEDIA_PUBLIC_URL": "https://cdn.example.org"}, "AGORA_MEDIA_URL"),
        ({"AGORA_MEDIA_URL": "s3://bucket", "AGORA_S3_ENDPOINT_URL": "127.0.0.1:9000"}, "http://"),
    ]
    for env, words in refused:
        result = run("migrate", env={**database, **env})
        assert result.returncode == 2 and words in result.stderr, (env, result.stderr)
