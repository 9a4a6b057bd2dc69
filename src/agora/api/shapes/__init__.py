"""Lemmy's shapes that API v3 (0.19) and API v4 (1.0) share: the types Lemmy kept the same, declared once.

The faces never import each other; each face's `shapes` modules re-export these under the names their handlers
import, so a type Lemmy changes later is redeclared in its face without touching the other.
"""
