"""Create an admin the way an operator does, through the domain function behind `agora admin create`."""

from __future__ import annotations

import asyncio

from agora.domain.admins import create_admin
from tests.support.client import PASSWORD, Api, Member, unique_name


def make_admin(server, name: str | None = None) -> Member:
    name = name or unique_name("admin")
    asyncio.run(create_admin(server.settings, name=name, password=PASSWORD, email=None))
    return Api(server.base_url).login(name)
