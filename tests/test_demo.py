"""The README's main command: `sync-ai-models demo`, offline, on the embedded Postgres."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from sync_ai_models.cli import main


def test_demo_on_the_embedded_default(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "DATABASE_URL"))}
    env["SYNC_AI_MODELS_DATA_DIR"] = str(tmp_path / "pgdata")
    script = Path(sys.executable).with_name("sync-ai-models")
    done = subprocess.run(
        [str(script), "demo"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "added:        openai/gpt-4.1-nano" in out
    assert "deactivated:  groq/gemma2-9b-it" in out
    assert "changed:      openrouter/anthropic/claude-3.5-haiku  output_token_cost_rate" in out
    assert "upstream now $1/M tokens" in out
    assert out.count("survived the sync") == 2
    assert (tmp_path / "demo-pgdata").is_dir()  # its own embedded server, not the user's catalog


def test_demo_on_a_given_server(postgresql_noproc: object) -> None:
    from tests.support.databases import PG_HOST, PG_PORT, PG_USER

    url = f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/postgres"
    result = CliRunner().invoke(main, ["demo", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "catalog: 20 models, 16 chat" in result.output
