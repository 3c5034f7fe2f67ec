"""The command line imports a command's module only when that command runs: `estimate` works on
the core install (no database driver, no web server), the others say which extra they need."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from sync_ai_models import cli

SERVER_ONLY = ("psycopg", "starlette", "uvicorn", "supabase", "pgserver")


def test_estimate_loads_no_server_dependency() -> None:
    script = (
        "import sys\n"
        "from sync_ai_models.cli import main\n"
        "try:\n"
        "    main(['estimate', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {SERVER_ONLY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_every_command_is_listed() -> None:
    result = CliRunner().invoke(cli.main, ["--help"])
    assert result.exit_code == 0
    for name in cli.COMMANDS:
        assert name in result.output


def test_a_command_whose_extra_is_missing_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def import_module(name: str) -> object:
        raise ModuleNotFoundError("No module named 'psycopg'", name="psycopg")

    monkeypatch.setattr(cli.importlib, "import_module", import_module)
    result = CliRunner().invoke(cli.main, ["migrate"])
    assert result.exit_code == 1
    assert "`migrate` needs the server extra (psycopg is missing)" in result.output
    assert "sync-ai-models[server]" in result.output


def test_a_broken_import_of_our_own_is_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def import_module(name: str) -> object:
        raise ModuleNotFoundError("No module named 'ai_catalog.gone'", name="ai_catalog.gone")

    monkeypatch.setattr(cli.importlib, "import_module", import_module)
    result = CliRunner().invoke(cli.main, ["migrate"])
    assert isinstance(result.exception, ModuleNotFoundError)
