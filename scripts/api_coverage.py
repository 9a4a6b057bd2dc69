"""Write docs/api-v3-coverage.md (or -v4-): every route lemmy-js-client calls, and whether Agora serves it.

    python scripts/api_coverage.py            (after `npm ci` in tests/clients/js: 0.19, API v3)
    python scripts/api_coverage.py v4         (after `npm ci` in tests/clients/js4: 1.0.0-beta.2, API v4)

The route list comes from the client's own declarations (`HTTP.GET /site` …), Agora's from its OpenAPI document,
so the table stays true as routes are added.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLIENT = ROOT / "tests/clients/js/node_modules/lemmy-js-client/dist/http.d.ts"
OUT = ROOT / "docs/api-v3-coverage.md"
CLIENT_V4 = ROOT / "tests/clients/js4/node_modules/lemmy-js-client/dist/http.js"
OUT_V4 = ROOT / "docs/api-v4-coverage.md"


def client_routes() -> list[tuple[str, str, str]]:
    """(method, path, client function) in the client's order."""
    text = CLIENT.read_text()
    found = []
    for match in re.finditer(r"`HTTP\.(GET|POST|PUT|DELETE) (/[^`\s]*)`\s*\*/\s*(\w+)\(", text):
        found.append((match.group(1), match.group(2), match.group(3)))
    return found


def client_routes_v4() -> list[tuple[str, str, str]]:
    """(method, path, client function) from the 1.0 client's compiled `LemmyHttp`: each method's one
    `wrapper(HttpType.X, "/path"…)` or `upload("/path"…)` call (its declarations no longer name the route)."""
    text = CLIENT_V4.read_text()
    found = []
    for method in re.split(r"\n    async (?=\w+\()", text)[1:]:
        name = method[: method.index("(")]
        call = re.search(r"wrapper\(HttpType\.(\w+), [`\"](/[^`\"]*)[`\"]([^)]*)\)", method)
        upload = re.search(r"\.upload(?:WithQuery)?\([`\"](/[^`\"]*)[`\"]", method)
        if call and call.group(3).rstrip().endswith("true"):  # noPrefix: a route outside /api/v4
            found.append((call.group(1).upper(), "=" + call.group(2), name))
        elif call:
            found.append((call.group(1).upper(), call.group(2), name))
        elif upload:
            found.append(("POST", upload.group(1), name))
    return found


def agora_routes(prefix: str = "/api/v3") -> set[tuple[str, str]]:
    sys.path.insert(0, str(ROOT / "src"))
    from agora.app import create_app
    from agora.config import Settings

    schema = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:")).openapi()
    return {
        (method.upper(), path.removeprefix(prefix))
        for path, operations in schema["paths"].items()
        for method in operations
        if path.startswith(prefix) or prefix == "/api/v3"
    }


# Why a route of the 1.0 client is not served yet, by the longest matching path prefix (issue 29 lists the work).
NOT_YET = {
    "/multi_community": "multi-communities are not a domain feature yet",
    "/community/tag": "community tags are not a domain feature yet",
    "/community/pending_follows": "private communities with pending follows are not a domain feature yet",
    "/community/notifications": "per-community notification modes are not a domain feature yet",
    "/post/notifications": "per-post notification modes are not a domain feature yet",
    "/oauth": "OAuth / OIDC login is not a domain feature yet",
    "/oauth_provider": "OAuth / OIDC login is not a domain feature yet",
    "/account/invite": "registration invitations are not a domain feature yet",
    "/account/block/instance": "instance-level person/community blocks are not split in the domain yet (a "
    "persons-level block needs its own list in the viewer lists the post and comment listings filter by)",
    "/comment/list/slim": "the slim comment view (without post and community) is not written yet",
    "/person/list": "a listing of persons is not a query yet (search finds them)",
    "/admin/users": "a listing of local users for admins is not a query yet",
    "/account/read": "the post listing has no read-only filter yet",
    "/account/hidden": "the post listing has no hidden-only filter yet",
}
DEFAULT_REASON = "the v4 face of an existing domain feature, not written yet"


def _unprefixed_routes() -> set[tuple[str, str]]:
    """Agora's discovery routes outside the API (NodeInfo), which the OpenAPI document leaves out."""
    sys.path.insert(0, str(ROOT / "src"))
    from agora.federation import wellknown

    return {(m, route.path) for route in wellknown.router.routes for m in getattr(route, "methods", None) or ()}


def reason(path: str) -> str:
    best = max((prefix for prefix in NOT_YET if path.startswith(prefix)), key=len, default=None)
    return NOT_YET[best] if best else DEFAULT_REASON


def main_v4() -> int:
    if not CLIENT_V4.exists():
        print(f"missing {CLIENT_V4}: run `npm ci` in tests/clients/js4 first", file=sys.stderr)
        return 1
    served = agora_routes("/api/v4") | {(m, "=" + p) for m, p in _unprefixed_routes()}
    rows = client_routes_v4()
    done = [r for r in rows if (r[0], r[1]) in served]
    lines = [
        "# Lemmy API v4 coverage",
        "",
        "Every route lemmy-js-client 1.0.0-beta.2 calls (Lemmy 1.0's API v4, under `/api/v4`) and whether Agora",
        "serves it, generated by `python scripts/api_coverage.py v4` from the client's compiled `LemmyHttp` and",
        "Agora's OpenAPI document. A route not served names the reason.",
        "",
        f"**{len(done)} of {len(rows)} routes served.**",
        "",
        "| method | path | client function | served |",
        "|---|---|---|---|",
    ]
    for m, p, fn in rows:
        shown = f"`{p[1:]}` (outside `/api/v4`)" if p.startswith("=") else f"`{p}`"
        lines.append(f"| {m} | {shown} | `{fn}` | {'yes' if (m, p) in served else 'no: ' + reason(p)} |")
    OUT_V4.write_text("\n".join(lines) + "\n")
    print(f"{len(done)}/{len(rows)} routes served → {OUT_V4.relative_to(ROOT)}")
    return 0


def main() -> int:
    if sys.argv[1:] == ["v4"]:
        return main_v4()
    if not CLIENT.exists():
        print(f"missing {CLIENT}: run `npm ci` in tests/clients/js first", file=sys.stderr)
        return 1
    served = agora_routes()
    rows = client_routes()
    done = [r for r in rows if (r[0], r[1]) in served]
    lines = [
        "# Lemmy API v3 coverage",
        "",
        "Every route lemmy-js-client 0.19.9 calls and whether Agora serves it, generated by",
        "`python scripts/api_coverage.py` from the client's declarations and Agora's OpenAPI document.",
        "",
        f"**{len(done)} of {len(rows)} routes served.**",
        "",
        "| method | path | client function | served |",
        "|---|---|---|---|",
    ]
    lines += [f"| {m} | `{p}` | `{fn}` | {'yes' if (m, p) in served else '**no**'} |" for m, p, fn in rows]
    extra = sorted(r for r in served if r not in {(m, p) for m, p, _ in rows} and r[1].startswith("/agora"))
    if extra:
        lines += ["", "Agora's own routes (documented in the OpenAPI document):", ""]
        lines += [f"- `{m} /api/v3{p}`" for m, p in extra]
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n")
    print(f"{len(done)}/{len(rows)} routes served → {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
