"""The Lemmy 1.0 HTTP API v4, beside v3: the same domain writes and queries reads, Lemmy 1.0's shapes."""
