"""Imports point one way (types < config < vendors < store < tokens < sync_ai_models) and form no
cycle: import-linter checks the contracts in pyproject.toml ([tool.importlinter])."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from ai_catalog.vendors import PROVIDERS

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(["shared", "functions"])}
    linter = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(linter), "--no-cache"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def test_config_names_no_provider() -> None:
    """A vendor's own rules live in its adapter's file: config/ keeps only the mechanism and the
    rules every provider shares (a family pattern like r"deepseek" is not a provider id), so
    adding a vendor touches nothing there."""
    config_dir = REPO_ROOT / "shared" / "ai_catalog" / "config"
    for path in sorted(config_dir.glob("*.py")):
        text = path.read_text()
        named = [p for p in PROVIDERS if re.search(rf'(?<![rR])"{p}"', text)]
        assert not named, f"{path.name} names {named}"
