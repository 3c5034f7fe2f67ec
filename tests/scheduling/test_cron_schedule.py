"""The pg_cron job: created by `migrate` where pg_cron exists, moved by a setting, its command
queues a run and NOTIFYs; nothing scheduled (a notice) where pg_cron is missing."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from tests.support.scheduling import CRON_DB, reset_cron_database


def jobs(conn: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    return conn.execute(
        "select jobname, schedule, command, database, active from cron.job order by jobid"
    ).fetchall()


def test_migrate_schedules_the_job_daily_at_3_utc(cron_db: psycopg.Connection[Any]) -> None:
    assert jobs(cron_db) == [
        ("sync-ai-models", "0 3 * * *", "select public.sync_cron_run()", CRON_DB, True)
    ]


def test_first_migrate_takes_the_schedule_from_a_setting(cron_db_url: str) -> None:
    url = reset_cron_database({"sync_ai_models.cron_schedule": "*/20 * * * *"})
    with psycopg.connect(url, autocommit=True) as conn:
        assert [j[:2] for j in jobs(conn)] == [("sync-ai-models", "*/20 * * * *")]


def test_the_setting_off_installs_no_job(cron_db_url: str) -> None:
    url = reset_cron_database({"sync_ai_models.cron_schedule": "off"})
    with psycopg.connect(url, autocommit=True) as conn:
        assert jobs(conn) == []


def test_sync_schedule_moves_removes_and_restores_the_one_job(
    cron_db: psycopg.Connection[Any],
) -> None:
    moved = cron_db.execute("select sync_schedule('15 */6 * * *')").fetchone()
    assert moved is not None and moved[0]["scheduled"] is True
    assert [j[:2] for j in jobs(cron_db)] == [("sync-ai-models", "15 */6 * * *")]

    cron_db.execute("select sync_schedule('off')")
    assert jobs(cron_db) == []
    assert cron_db.execute("select cron_schedule from sync_ai_models.settings").fetchone() == (
        None,
    )

    cron_db.execute("select sync_schedule('0 5 * * 1')")
    cron_db.execute("select sync_schedule()")  # re-applies what is stored
    assert [j[:2] for j in jobs(cron_db)] == [("sync-ai-models", "0 5 * * 1")]


def test_an_invalid_schedule_is_refused_and_changes_nothing(
    cron_db: psycopg.Connection[Any],
) -> None:
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="invalid schedule"):
        cron_db.execute("select sync_schedule('every day')")
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="pg_cron schedule"):
        cron_db.execute("select sync_schedule('  ')")
    assert cron_db.execute("select cron_schedule from sync_ai_models.settings").fetchone() == (
        "0 3 * * *",
    )
    assert [j[:2] for j in jobs(cron_db)] == [("sync-ai-models", "0 3 * * *")]


def test_the_jobs_command_run_as_pg_cron_would_queues_a_run_and_notifies(
    cron_db: psycopg.Connection[Any], cron_db_url: str
) -> None:
    command, username, database = cron_db.execute(
        "select command, username, database from cron.job where jobname = 'sync-ai-models'"
    ).fetchone() or ("", "", "")
    listener = psycopg.connect(cron_db_url, autocommit=True)
    listener.execute("listen ai_sync_runs")
    # pg_cron connects to the job's database as the job's user and runs the command as is
    with psycopg.connect(cron_db_url, user=username, dbname=database, autocommit=True) as job:
        first = job.execute(command).fetchone()
        again = job.execute(command).fetchone()  # still queued: taken again, not a second run
    notified = [n.payload for n in listener.notifies(timeout=2, stop_after=2)]
    listener.close()

    runs = cron_db.execute(
        "select id::text, trigger, requested_by, status from ai_sync_runs"
    ).fetchall()
    assert first is not None and again is not None and first[0] == again[0]
    assert runs == [(str(first[0]), "cron", "pg_cron", "queued")]
    assert notified == [str(first[0])] * 2


def test_without_pg_cron_migrate_schedules_nothing_and_says_so(db: psycopg.Connection) -> None:
    """The per-test databases are not cron.database_name: like plain Postgres without pg_cron."""
    notices: list[str] = []
    db.add_notice_handler(lambda diag: notices.append(diag.message_primary or ""))
    result = db.execute("select sync_apply_schedule()").fetchone()
    assert result is not None
    assert result[0] == {
        "scheduled": False,
        "schedule": "0 3 * * *",
        "reason": "pg_cron is not installed in this database",
    }
    assert any("pg_cron is not installed" in n for n in notices)
    assert db.execute("select to_regnamespace('cron')").fetchone() == (None,)
    # the command still works: queue a run for a worker
    assert db.execute("select sync_cron_run() is not null").fetchone() == (True,)
    # the schedule is stored: installing pg_cron later and calling sync_schedule() applies it
    assert db.execute("select sync_schedule('0 1 * * *') ->> 'schedule'").fetchone() == (
        "0 1 * * *",
    )
