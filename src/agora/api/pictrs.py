"""Image upload and serving at the paths Lemmy apps use (Lemmy proxies pict-rs there; Agora does the work itself).

POST /pictrs/image                         multipart `images[]` → {"msg": "ok", "files": [{file, delete_token}]}
GET  /pictrs/image/NAME[?thumbnail=N]      the image, or its thumbnail
GET  /pictrs/image/delete/TOKEN/NAME       delete an upload
GET  /pictrs/healthz                       200 while images can be stored (Lemmy passes pict-rs's through)

The files live in state.media (media.storage: a folder, or an S3 bucket that serves them by redirect or through
this route); every store answers with the headers `serve` chooses.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from agora.deps import AppState, MaybeViewer, State, WriteDb, rate_limited
from agora.errors import AgoraError, Code
from agora.media import storage as media_storage
from agora.media import uploads
from agora.media.images import Processed
from agora.responses import json_response

router = APIRouter(prefix="/pictrs", tags=["media"])
FILES_PER_UPLOAD = 4
IMMUTABLE = "public, max-age=31536000, immutable"


def storage(state: AppState) -> media_storage.MediaStore:
    return state.media


async def release_noted(db: AsyncSession, state: AppState) -> None:
    """After a write that may have let images go (a new avatar, a purged post): delete the uploads behind them."""
    await uploads.release_noted(db, storage(state), state.here.base_url)


async def release_uploads_of(db: AsyncSession, state: AppState, person_id: int) -> None:
    await uploads.release_uploads_of(db, storage(state), person_id)


async def receive_images(request: Request, state: AppState) -> list[Processed]:
    """The images of a multipart `images[]` upload (as Lemmy's apps send it), each decoded and re-encoded; every
    one is checked before any is stored, so a refused one leaves nothing behind."""
    try:
        form = await request.form(max_files=FILES_PER_UPLOAD, max_fields=FILES_PER_UPLOAD)
    except Exception as error:  # a malformed multipart body
        raise AgoraError(Code.invalid_body_field, "send the image as multipart/form-data field images[]") from error
    files = [f for f in form.getlist("images[]") if hasattr(f, "read")]
    if not files:
        raise AgoraError(Code.invalid_body_field, "no image in the field images[]")
    cap = state.settings.max_upload_bytes
    processed = []
    for upload_file in files:
        raw = await upload_file.read(cap + 1)
        if len(raw) > cap:
            raise AgoraError(Code.too_large, f"an image may be at most {cap} bytes", status=413)
        processed.append(await state.decoder.process(raw))
    return processed


async def store_images(
    db: AsyncSession, state: AppState, processed: list[Processed], *, local_user_id: int
) -> list[uploads.LocalImage]:
    """Store decoded images as `local_user_id`'s uploads, in the request's transaction."""
    stored: list[uploads.LocalImage] = []
    try:
        for image in processed:
            stored.append(await uploads.store(db, storage(state), image, local_user_id=local_user_id))
    except BaseException:
        discard(state, stored)
        raise
    return stored


def discard(state: AppState, stored: list[uploads.LocalImage]) -> None:
    """The files of uploads whose rows go with a failed transaction."""
    for saved in stored:
        uploads.discard(storage(state), saved)


def image_url(state: AppState, name: str) -> str:
    return f"{state.here.base_url}/pictrs/image/{name}"


@router.post("/image", dependencies=[rate_limited("image")])
async def upload(request: Request, viewer: MaybeViewer, db: WriteDb, state: State) -> Response:
    if viewer is None:
        raise AgoraError(Code.incorrect_login)
    stored = await store_images(db, state, await receive_images(request, state), local_user_id=viewer.local_user_id)
    return json_response({"msg": "ok", "files": [{"file": i.name, "delete_token": i.delete_token} for i in stored]})


IMAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "the image (or its thumbnail)", "content": {"image/*": {}}},
    404: {"description": "no such image: an empty body, as Lemmy's pict-rs answers"},
}


@router.get("/image/{name}", response_class=Response, responses=IMAGE_RESPONSES)
async def serve(request: Request, name: str, state: State, thumbnail: int | None = None) -> Response:
    """On a private instance only members get here (agora.gate), and no shared cache may keep what they got; nor
    are they sent to the store's public address. The settings are those the gate has just read: an image needs no
    database, and is served while it is down."""
    original = name
    if thumbnail is not None and not name.endswith("-thumb.webp"):
        name = name.rsplit(".", 1)[0] + "-thumb.webp"  # the one stored size; apps ask for 256 or so
    if not media_storage.valid(name):
        return Response(status_code=404)  # an empty body, as Lemmy's image route answers for a missing image
    site = state.site_cache.last_read
    public = site is not None and not site["private_instance"]
    headers = {"Cache-Control": IMMUTABLE if public else IMMUTABLE.replace("public", "private")}
    headers["X-Content-Type-Options"] = "nosniff"
    byte_range = request.headers.get("range")
    answer = await storage(state).respond(name, headers, byte_range=byte_range, may_redirect=public)
    if answer.status_code == 404 and name != original and media_storage.valid(original):
        # An image brought across from pict-rs (README: Importing a Lemmy instance) has no thumbnail of ours.
        return await storage(state).respond(original, headers, byte_range=byte_range, may_redirect=public)
    return answer


@router.get("/healthz", response_class=Response, responses={200: {"description": "the image server is up (empty)"}})
async def healthz(state: State) -> Response:
    """503 service_unavailable while the media store cannot be used (an S3 bucket that does not answer)."""
    await storage(state).check()
    return Response(status_code=200)


@router.get("/image/delete/{token}/{name}")
async def delete(token: str, name: str, db: WriteDb, state: State) -> Response:
    await uploads.remove(db, storage(state), name[:80], token[:64])
    return Response(status_code=204)
