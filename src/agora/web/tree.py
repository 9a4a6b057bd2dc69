"""Comment views (breadth-first, as queries.comments returns them) nested into the tree a page shows, with how
many replies each comment has beyond what was loaded ("load more")."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from agora.queries.views import CommentItem


@dataclass(slots=True)
class Node:
    view: CommentItem
    children: list[Node] = field(default_factory=list)
    more: int = 0  # visible replies below this comment that the page does not show

    @property
    def id(self) -> int:
        return self.view.comment["id"]


def _parent_id(path: str) -> int | None:
    parts = path.split(".")
    return int(parts[-2]) if len(parts) > 2 else None


def _counted(view: CommentItem) -> bool:
    return not (view.comment["deleted"] or view.comment["removed"])


def build(views: list[CommentItem], root_id: int | None = None) -> list[Node]:
    """Top-level nodes (or the one node `root_id` heads), children in the order the query ranked them."""
    nodes = {v.comment["id"]: Node(v) for v in views}
    roots: list[Node] = []
    for view in views:
        node = nodes[view.comment["id"]]
        parent = _parent_id(view.comment["path"])
        if node.id == root_id or (root_id is None and parent is None):
            roots.append(node)
        elif parent in nodes:
            nodes[parent].children.append(node)
    for root in roots:
        _count_more(root)
    return roots


def _count_more(node: Node) -> int:
    """Fill in `more` below `node`; answers the visible comments shown under it."""
    shown = 0
    for child in node.children:
        shown += _count_more(child) + (1 if _counted(child.view) else 0)
    node.more = max(0, node.view.comment["child_count"] - shown)
    return shown


def flat(views: list[CommentItem]) -> list[Node]:
    """Each comment alone, in the order given; "load more" counts only the replies below it that are not in
    `views`, since the others are on the same page."""
    listed: Counter[str] = Counter()
    for view in views:
        if _counted(view):
            ancestors = view.comment["path"].split(".")[1:-1]
            listed.update(ancestors)
    return [Node(v, more=max(0, v.comment["child_count"] - listed[str(v.comment["id"])])) for v in views]


def results(views: list[CommentItem]) -> list[Node]:
    """Each comment as a search result: one comment found, not a thread, so nothing below it to load."""
    return [Node(v) for v in views]
