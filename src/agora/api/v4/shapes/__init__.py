"""Lemmy 1.0's request and response types (lemmy-js-client 1.0.0-beta.2's names), as pydantic models, and the
functions that turn query views into them."""
