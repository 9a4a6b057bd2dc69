"""Importers: another server's database brought into an empty Agora database, ids, keys and URLs kept.

A room of its own: an import is a bulk copy between two databases that runs once per instance, outside any
request or job, so it writes table rows directly (as a migration would) instead of through `domain` calls, which
would re-run rules, events and deliveries for content that already happened. Counts are then recounted by
`domain.recounts`, the same code `agora admin recount` runs.
"""
