"""Images cannot be used to burn CPU: what a file declares (canvas, frames, frames x canvas) is checked before any
pixel is decoded; decoding runs in worker processes with a CPU limit, a bounded number at a time; the server keeps
answering meanwhile; animations are scaled to 4096 px a side like stills."""

import io
import os
import threading
import time
from pathlib import Path

import httpx
import pytest
from PIL import Image

from tests.support.client import PASSWORD
from tests.support.images import animation, frame_count, gif, stored_files, upload


@pytest.fixture
def member(api):
    return api.register()


@pytest.fixture(scope="module")
def slow_png() -> bytes:
    """A 40-megapixel PNG of 1.4 MB that passes every declared limit and takes seconds of CPU to re-encode."""
    image = Image.effect_mandelbrot((6400, 6250), (-2, -1.5, 1, 1.5), 20).convert("RGB")
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def _timed_upload(server, token, data: bytes, name="bomb.gif", mime="image/gif") -> tuple[httpx.Response, float]:
    start = time.monotonic()
    response = upload(server, token, data, name, mime)
    return response, time.monotonic() - start


def test_gif_bomb_is_refused_before_its_frames_are_decoded(server, member):
    declared = gif((6000, 6000), 4)  # 144 megapixels decoded from a file this small
    grown = gif((1, 1), 4, at=(5999, 5999))  # a one-pixel screen, frames whose extent makes the canvas 6000 x 6000
    for bomb in (declared, grown):
        assert len(bomb) < 200
        response, seconds = _timed_upload(server, member.token, bomb)
        assert (response.status_code, response.json()["error"]) == (413, "too_large")
        assert "4 frames of 6000 x 6000" in response.json()["message"]
        assert seconds < 2.0
    assert stored_files(server) == []


def test_frame_count_is_capped_without_walking_every_frame(server, member):
    flood = gif((1, 1), 200_000)  # 1.8 MB of one-pixel frames
    response, seconds = _timed_upload(server, member.token, flood)
    assert (response.status_code, response.json()["error"]) == (413, "too_large")
    assert "frames" in response.json()["message"]
    assert seconds < 2.0
    assert upload(server, member.token, gif((1, 1), 1001), "x.gif", "image/gif").status_code == 413
    accepted = upload(server, member.token, gif((1, 1), 1000), "x.gif", "image/gif")
    assert accepted.status_code == 200, accepted.text
    stored = httpx.get(f"{server.base_url}/pictrs/image/{accepted.json()['files'][0]['file']}").content
    assert frame_count(stored) == 1000


def test_one_refused_image_of_several_leaves_none_stored(server, member):
    response = httpx.post(
        f"{server.base_url}/pictrs/image",
        files=[
            ("images[]", ("ok.gif", animation((64, 64), 3), "image/gif")),
            ("images[]", ("b.gif", gif((6000, 6000), 4), "image/gif")),
        ],
        cookies={"jwt": member.token},
        timeout=60,
    )
    assert (response.status_code, response.json()["error"]) == (413, "too_large")
    assert stored_files(server) == []


def test_animations_are_scaled_to_4096_a_side_like_stills_and_keep_animating(server, member):
    for data, frames in ((animation((5000, 200), 4), 4), (gif((6000, 6000), 1), 1)):
        response = upload(server, member.token, data, "wide.gif", "image/gif")
        assert response.status_code == 200, response.text
        name = response.json()["files"][0]["file"]
        stored = httpx.get(f"{server.base_url}/pictrs/image/{name}").content
        with Image.open(io.BytesIO(stored)) as image:
            assert image.format == "GIF" and max(image.size) == 4096
        assert frame_count(stored) == frames
        thumb = httpx.get(f"{server.base_url}/pictrs/image/{name}", params={"thumbnail": 256}).content
        assert max(Image.open(io.BytesIO(thumb)).size) == 256


def test_a_worker_past_its_cpu_limit_is_killed_the_upload_refused_and_the_server_keeps_answering(
    server_factory, slow_png
):
    server = server_factory(image_cpu_seconds=1)
    api = server.api()
    member = api.register()
    result: dict = {}
    worker = threading.Thread(
        target=lambda: result.update(answer=_timed_upload(server, member.token, slow_png, "big.png", "image/png"))
    )
    worker.start()
    reads, logins = [], []
    while worker.is_alive():
        start = time.monotonic()
        assert httpx.get(f"{server.base_url}/api/v3/site", timeout=10).status_code == 200
        reads.append(time.monotonic() - start)
        start = time.monotonic()
        api.login(member.name, PASSWORD)
        logins.append(time.monotonic() - start)
    worker.join()
    response, seconds = result["answer"]
    assert (response.status_code, response.json()["error"]) == (413, "too_large")
    assert seconds < 10
    assert len(reads) >= 3 and max(reads) < 1.0 and max(logins) < 2.0, (reads, logins)
    assert stored_files(server) == []
    assert upload(server, member.token, animation((64, 64), 3), "ok.gif", "image/gif").status_code == 200


def test_a_worker_past_its_memory_limit_is_refused_413(server_factory, slow_png):
    server = server_factory(image_memory_mb=256)
    member = server.api().register()
    response = upload(server, member.token, slow_png)
    assert (response.status_code, response.json()["error"]) == (413, "too_large")
    assert "memory" in response.json()["message"]
    assert stored_files(server) == []


def _workers() -> dict[int, int]:
    """The image worker processes this test process (which runs the servers) has started: pid → nice value."""
    found, me = {}, str(os.getpid())
    for proc in Path("/proc").iterdir():
        try:
            if b"agora.media.image_worker" in (proc / "cmdline").read_bytes():
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                if fields[1] == me:  # its parent
                    found[int(proc.name)] = int(fields[16])
        except OSError:
            continue
    return found


def test_simultaneous_uploads_are_decoded_one_worker_at_a_time(server_factory, slow_png):
    server = server_factory(image_cpu_seconds=1, image_workers=1)
    member = server.api().register()
    answers: list[int] = []
    uploads = [
        threading.Thread(target=lambda: answers.append(upload(server, member.token, slow_png).status_code))
        for _ in range(3)
    ]
    for thread in uploads:
        thread.start()
    most, niceness = 0, {}
    while any(thread.is_alive() for thread in uploads):
        workers = _workers()
        most = max(most, len(workers))
        niceness.update(workers)  # the last value seen of each: a worker lowers its priority once it has started
        time.sleep(0.02)
    assert answers == [413, 413, 413]
    assert most == 1
    assert set(niceness.values()) == {min(19, os.nice(0) + 10)}  # the server's own processes come first
    assert stored_files(server) == []
