"""Migrations that derive data: downgraded and upgraded again on a database the app filled, they derive it alike."""

import asyncio

from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from agora.db.migrate import alembic_config


async def _alembic(url: str, action, revision: str) -> None:
    engine = create_async_engine(url)

    def run(connection) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        action(cfg, revision)

    try:
        async with engine.begin() as conn:
            await conn.run_sync(run)
    finally:
        await engine.dispose()


async def _rows(url: str, sql: str) -> list[tuple]:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(sql))
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        await engine.dispose()


def test_follower_remote_is_derived_from_the_person(server, api):
    owner = api.register()
    community_id = owner.community()["community"]["id"]
    members = [api.register() for _ in range(3)]
    for member in members:
        member.api.post("/community/follow", {"community_id": community_id, "follow": True})
    url = server.settings.database_url
    server.stop()
    remote_name = members[1].name
    # As if that follower were someone of another server (the API makes local people only).
    asyncio.run(_rows(url, f"UPDATE person SET local = false WHERE name = '{remote_name}'"))

    asyncio.run(_alembic(url, command.downgrade, "0011_inbox_queue"))
    asyncio.run(_alembic(url, command.upgrade, "heads"))

    flags = dict(
        asyncio.run(
            _rows(
                url,
                f"""
        SELECT person.name, community_follower.remote FROM community_follower JOIN person ON person.id = person_id
        WHERE community_id = {community_id}""",
            )
        )
    )
    assert {name: bool(remote) for name, remote in flags.items()} == {
        owner.name: False,
        **{m.name: m.name == remote_name for m in members},
    }
