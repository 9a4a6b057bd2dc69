"""Who may fetch the posts and comments of our Private communities over ActivityPub: a signed GET from a server
where someone follows the community with an approved follow (Lemmy 1.0 serves them the same way). Everyone else
gets 404, as for something that does not exist."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from agora.deps import AppState
from agora.errors import AgoraError, Code
from agora.federation import keys, signatures
from agora.federation.context import ActivityContext
from agora.federation.inbox import request_target
from agora.federation.objects import reading
from agora.outbound import OutboundError
from agora.queries import followers, visibility


async def require_approved_server(
    state: AppState, request: Request, db: AsyncSession, community: Mapping[str, Any]
) -> None:
    """Refuse (404) a fetch of a Private community's content unless it is signed by a server with an approved
    follower of it; any other community's content passes without a signature."""
    if community["visibility"] != visibility.PRIVATE:
        return
    signer = await _verified_signer(state, request)
    if signer is None or not await followers.server_follows(db, community["id"], reading.host(signer)):
        raise AgoraError(
            Code.not_found, "only the servers of its approved followers read a private community", status=404
        )


async def _verified_signer(state: AppState, request: Request) -> str | None:
    """The actor whose key signed this GET, or None when it is unsigned, unknown or does not verify."""
    try:
        signer = signatures.key_id_of(request.headers).split("#", 1)[0]
    except signatures.SignatureError:
        return None
    known = keys.known(state)
    key = await known.get(state.db, signer)
    if key is None or not key.public_key:
        try:
            await ActivityContext(state, budget=2).refetch(signer)
        except (AgoraError, OutboundError):
            return None
        key = await known.get(state.db, signer)
    if key is None or not key.public_key or key.local:
        return None
    try:
        signatures.verify("GET", request_target(request), request.headers, None, key.public_key)
    except signatures.SignatureError:
        return None
    return signer
