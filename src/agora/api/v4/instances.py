"""/admin/instance/block and /admin/instance/allow: admins put one instance on the site's block or allow list, or
take it off, with a reason (and an end, for a block). The lists are those v3's EditSite edits whole."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field
from starlette.responses import Response

from agora.api.v4.shapes.base import Form, SuccessResponse
from agora.deps import MESSAGE, Admin, Here, WriteDb
from agora.domain import federation_rules
from agora.responses import SUCCESS, json_response

router = APIRouter(tags=["v4: federation"])


class AdminBlockInstanceParams(Form):
    instance: str = Field(max_length=300)
    block: bool
    reason: str = Field(max_length=10_000)
    expires_at: int | None = Field(None, ge=-(2**62), le=2**62)

    def terms(self) -> dict[str, Any]:
        return {"reason": self.reason, "expires": self.expires_at}


class AdminAllowInstanceParams(Form):
    instance: str = Field(max_length=300)
    allow: bool
    reason: str = Field(max_length=10_000)


@router.post("/admin/instance/block", response_model=SuccessResponse, dependencies=[MESSAGE])
async def admin_block_instance(form: AdminBlockInstanceParams, admin: Admin, db: WriteDb, here: Here) -> Response:
    """Deliveries to a blocked instance stop and its activities are refused from this request's commit on (the
    site settings cache moves with every commit)."""
    rule = federation_rules.BLOCKED
    await federation_rules.set_rule(db, here, admin, form.instance, rule, on=form.block, **form.terms())
    return json_response(SUCCESS)


@router.post("/admin/instance/allow", response_model=SuccessResponse, dependencies=[MESSAGE])
async def admin_allow_instance(form: AdminAllowInstanceParams, admin: Admin, db: WriteDb, here: Here) -> Response:
    rule = federation_rules.ALLOWED
    await federation_rules.set_rule(db, here, admin, form.instance, rule, on=form.allow, reason=form.reason)
    return json_response(SUCCESS)
