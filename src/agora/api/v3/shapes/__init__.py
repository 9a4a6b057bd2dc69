"""Lemmy 0.19's JSON shapes: pydantic models (for the OpenAPI document) and fast converters from views.

Responses are built as plain dicts by the `*_json` converters and serialised with orjson; the models describe the
same shapes for clients and schemathesis. Optional fields are omitted when empty, as Lemmy does.
"""
