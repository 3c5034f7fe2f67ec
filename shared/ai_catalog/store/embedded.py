"""The embedded default: a Postgres server of our own (pgserver) in a per-user data directory,
used when neither DATABASE_URL nor Supabase is configured. Started on demand, migrated, and
stopped when the last process using it exits."""

from __future__ import annotations

import logging
import subprocess
import warnings
from pathlib import Path
from typing import Any

from ai_catalog.errors import DatabaseUnavailable

log = logging.getLogger("sync_ai_models")
_servers: dict[Path, Any] = {}
# pgserver asks platformdirs for a runtime dir it does not need; root shells often have none
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")


def embedded_database_url(data_dir: Path) -> str:
    """Starts (or joins) the embedded server in data_dir and returns its connection URL."""
    data_dir = data_dir.expanduser().resolve()
    if data_dir not in _servers:
        try:
            import pgserver

            data_dir.parent.mkdir(parents=True, exist_ok=True)
            log.info("starting the embedded Postgres in %s", data_dir)
            try:
                server = pgserver.get_server(data_dir, cleanup_mode="stop")
            except subprocess.TimeoutExpired:
                # pgserver gives pg_ctl 10 s; a busy machine can need more, and the server it
                # started keeps starting: ask once more, which joins it when it is up
                log.warning("the embedded Postgres is slow to start; waiting once more")
                server = pgserver.get_server(data_dir, cleanup_mode="stop")
            _servers[data_dir] = server
        except Exception as exc:
            raise DatabaseUnavailable(
                f"cannot start the embedded Postgres in {data_dir}: {exc}. "
                "Set DATABASE_URL to use a server of your own."
            ) from exc
    uri: str = _servers[data_dir].get_uri()
    return uri
