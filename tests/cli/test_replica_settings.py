"""AGORA_DATABASE_REPLICA_URLS that cannot work are refused at start with the variable named."""

from tests.cli.test_first_start import plain_env, run


def test_a_replica_that_is_not_postgresql_is_named(tmp_path):
    env = {
        **plain_env(),
        "AGORA_DATABASE_URL": "postgresql://me@localhost/forum",
        "AGORA_DATABASE_REPLICA_URLS": "postgresql://me@replica1/forum, mysql://me@replica2/forum",
    }
    refused = run("migrate", env=env)
    assert refused.returncode == 2 and "'mysql://me@replica2/forum' is not a postgresql:// URL" in refused.stderr


def test_replicas_of_a_sqlite_database_are_refused(tmp_path):
    env = {
        **plain_env(),
        "AGORA_DATABASE_URL": f"sqlite:///{tmp_path}/forum.db",
        "AGORA_DATABASE_REPLICA_URLS": "postgresql://me@replica1/forum",
    }
    refused = run("migrate", env=env)
    assert refused.returncode == 2 and "AGORA_DATABASE_REPLICA_URLS needs a PostgreSQL" in refused.stderr
