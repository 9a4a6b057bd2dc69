"""What every web page knows: who is looking, the site's chrome (name, sidebar, emoji), the CSRF token; and the
dependencies handlers take (`Ctx`, `MemberCtx`, `AdminCtx`, `CheckedForm`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Annotated, Any, TypedDict
from urllib.parse import quote, unquote

from fastapi import Depends, Path, Request
from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from agora.deps import AppState, MaybeViewer, SiteSettings, State, UntilWrite
from agora.errors import AgoraError, Code
from agora.gate import OPEN_PAGES
from agora.queries import inbox, paging, visibility
from agora.queries import site as site_queries
from agora.queries.viewer import Viewer
from agora.queries.views import PersonItem
from agora.text.markdown import Emoji
from agora.web import render, security
from agora.web.forms import local_path

# What the last action did ("Moderator added."), carried over the redirect that follows a form to the next page.
SAID_COOKIE = "agora_said"
SAID_MAX = 200


class LoginRequired(Exception):
    """The page needs a member; the visitor is sent to /login and back."""


@dataclass(frozen=True, slots=True)
class Chrome:
    """The site as every page shows it, re-read at most every few seconds."""

    name: str
    description: str | None = None
    sidebar: str | None = None
    icon: str | None = None
    emojis: dict[str, Emoji] = field(default_factory=dict)
    admins: list[PersonItem] = field(default_factory=list)


def _chrome_cache(state: AppState) -> UntilWrite[Chrome]:
    return state.extras.setdefault("web.chrome", UntilWrite(state.db, state.settings.settings_cache_seconds))


async def load_chrome(state: AppState) -> Chrome:
    async def build() -> Chrome:
        async with state.db.read() as session:
            info = await site_queries.site_info(session, state.here)
        return Chrome(
            name=info.site["name"],
            description=info.site["description"],
            sidebar=info.site["sidebar"],
            icon=info.site["icon"],
            emojis={e["shortcode"]: Emoji(e["image_url"], e["alt_text"]) for e, _ in info.custom_emojis},
            admins=info.admins,
        )

    return await _chrome_cache(state).get(build)


def cached_chrome(state: AppState) -> Chrome:
    """The chrome without touching the database (error pages), or a plain stand-in."""
    return _chrome_cache(state).last or Chrome(name=state.here.domain)


class Paging(TypedDict):
    """The links to the previous and next numbered page, None at either end."""

    prev: str | None
    next: str | None


@dataclass
class PageContext:
    request: Request
    state: AppState
    viewer: Viewer | None
    site: dict[str, Any]
    chrome: Chrome
    unread: int | None = None
    back_to: str | None = None  # where forms on a fragment return to, when it is not the requested page
    _csrf: str | None = None

    @property
    def csrf(self) -> str:
        if self._csrf is None:  # a listing has a hundred forms; one HMAC is enough
            self._csrf = security.csrf_token(self.request, self.state.here.jwt_secret)
        return self._csrf

    @property
    def fetch(self) -> bool:
        """The request comes from our own script, which wants JSON or a fragment instead of a page."""
        return self.request.headers.get("x-agora-fetch") == "1"

    @property
    def here_url(self) -> str:
        """This page's path and query, for `next` fields."""
        if self.back_to:
            return self.back_to
        url = self.request.url
        return url.path + (f"?{url.query}" if url.query else "")

    @property
    def params(self) -> dict[str, str]:
        return dict(self.request.query_params)

    def choice(self, name: str, allowed: Collection[str], default: str) -> str:
        """Query parameter `name` when it is one of `allowed`, else `default`."""
        value = self.params.get(name, "")
        return value if value in allowed else default

    @property
    def page_number(self) -> int:
        """`?page=N` of pages numbered from 1 (profiles, inbox, search, modlog); 1 when absent or out of range."""
        value = self.params.get("page", "")
        return int(value) if value.isdigit() and 0 < int(value) <= paging.PAGE_MAX else 1

    def paging(self, kept: dict[str, Any], *, more: bool) -> Paging:
        """The prev and next links of a numbered page, keeping the parameters in `kept`."""
        page = self.page_number
        return {
            "prev": render.query(kept, page=page - 1) if page > 1 else None,
            "next": render.query(kept, page=page + 1) if more else None,
        }

    def md(self, source: str | None) -> Markup:
        return render.markdown_html(source, self.chrome.emojis)

    async def page(
        self, template: str, status: int = 200, *, refused_by: AgoraError | None = None, **values: Any
    ) -> HTMLResponse:
        """The page; `refused_by` is the error that sent a form back: 400, or 429 with Retry-After for a rate limit."""
        if refused_by is not None:
            status = 429 if refused_by.code == Code.rate_limit_error else 400
        if self.viewer is not None and self.unread is None:
            async with self.state.db.read() as session:
                counts = await inbox.unread_counts(session, self.viewer)
            self.unread = counts["replies"] + counts["mentions"] + counts["private_messages"] + counts["warnings"]
        said = unquote(self.request.cookies.get(SAID_COOKIE, ""))[:SAID_MAX] or None
        html = render.render(template, {"ctx": self, "said": said, **values})
        response = HTMLResponse(html, status_code=status)
        if refused_by is not None and refused_by.retry_after is not None:
            response.headers["retry-after"] = str(refused_by.retry_after)
        if said:
            response.delete_cookie(SAID_COOKIE, path="/")
        return response

    def fragment(self, template: str, **values: Any) -> str:
        return render.render(template, {"ctx": self, **values})

    def redirect(self, target: str | None, default: str = "/") -> RedirectResponse:
        return RedirectResponse(local_path(target, default), status_code=303)

    def done(self, target: str | None, default: str = "/", *, said: str | None = None, **data: Any) -> Response:
        """After a successful action: JSON for our script, a redirect (post/redirect/get) for a plain form; `said`
        tells what happened, on the page the redirect leads to (or in the JSON)."""
        if self.fetch:
            return JSONResponse({"ok": True, **data, **({"said": said} if said else {})})
        response = self.redirect(target, default)
        if said:
            response.set_cookie(
                SAID_COOKIE, quote(said[:SAID_MAX]), max_age=60, path="/", httponly=True, samesite="lax"
            )
        return response


async def page_context(request: Request, state: State, viewer: MaybeViewer, site: SiteSettings) -> PageContext:
    if not visibility.may_read_site(viewer, site) and request.url.path not in OPEN_PAGES:
        raise LoginRequired()  # agora.gate sends such visitors to log in first; this holds if it is bypassed
    return PageContext(request=request, state=state, viewer=viewer, site=site, chrome=await load_chrome(state))


Ctx = Annotated[PageContext, Depends(page_context, scope="function")]


@dataclass
class MemberPageContext(PageContext):
    """A page only a signed-in member reaches: the viewer is known."""

    viewer: Viewer


async def member_context(ctx: Ctx) -> MemberPageContext:
    if ctx.viewer is None:
        raise LoginRequired()
    return MemberPageContext(request=ctx.request, state=ctx.state, viewer=ctx.viewer, site=ctx.site, chrome=ctx.chrome)


MemberCtx = Annotated[MemberPageContext, Depends(member_context, scope="function")]


async def admin_context(ctx: MemberCtx) -> MemberPageContext:
    if not ctx.viewer.admin:
        raise AgoraError(Code.not_an_admin)
    return ctx


AdminCtx = Annotated[MemberPageContext, Depends(admin_context, scope="function")]


async def checked_form(request: Request, state: State) -> FormData:
    """The submitted form, refused (403) unless it carries this browser's CSRF token."""
    try:
        form = await request.form(max_files=2, max_fields=300)
    except (MultiPartException, ValueError) as error:
        raise AgoraError(Code.invalid_body_field, "the form could not be read") from error
    security.check_csrf(request, state.here.jwt_secret, form.get(security.CSRF_FIELD))
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]

# An id in a path: past what the database holds is no page at all (404), not a database error.
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
