import pytest

from tests.conftest import ENGINE, free_port
from tests.support.process import ServedInstance


@pytest.fixture
def served(databases, tmp_path):
    """Start `agora serve` subprocesses on one fresh database: served() → ServedInstance (started)."""
    url = databases.new()
    instances: list[ServedInstance] = []

    def start(**env) -> ServedInstance:
        instance = ServedInstance(url, free_port(), tmp_path, **env).start()
        instances.append(instance)
        return instance

    start.url = url
    start.engine = ENGINE
    yield start
    for instance in instances:
        instance.kill()
    databases.drop(url)
