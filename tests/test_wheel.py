"""The built wheel, installed (not editable) into a fresh venv, works away from the checkout.

One venv per session. The wheel itself is installed with --no-deps; its dependencies are borrowed
from this test venv through a path entry (a plain path, so the editable install's hooks stay
out): what is tested is what the wheel carries, not the package mirror.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.support.databases import empty_database

REPO_ROOT = Path(__file__).resolve().parents[1]
SQL_COUNT = len(list((REPO_ROOT / "sql").glob("*.sql")))


class Installed:
    def __init__(self, root: Path, workdir: Path) -> None:
        self.root = root
        self.workdir = workdir  # far from the checkout, so nothing is imported from it
        self.python = root / "bin" / "python"
        self.site_packages = Path(
            subprocess.check_output(
                [str(self.python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                text=True,
            ).strip()
        )

    def env(self, **extra: str) -> dict[str, str]:
        drop = ("DATABASE_URL", "SUPABASE_", "SYNC_AI_MODELS_", "PYTHONPATH", "TIKTOKEN_")
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(drop) and not k.endswith("_API_KEY")
        }
        # any attempt to reach the network fails at once instead of waiting
        env.update(HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9")
        return {**env, **extra}

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args),
            cwd=self.workdir,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=180,
        )


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    # built from a clean copy of the sources: setuptools' build/ in a checkout can hold files
    # the sources no longer have, which would then ride along in the wheel
    source = base / "source"
    shutil.copytree(
        REPO_ROOT,
        source,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "test-artifacts"
        ),
    )
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", str(source), "-w", str(base / "dist")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (base / "dist").glob("sync_ai_models-*.whl")
    venv.EnvBuilder(with_pip=False).create(base / "venv")
    workdir = base / "work"
    workdir.mkdir()
    installed = Installed(base / "venv", workdir)
    subprocess.run(
        [*pip, "--python", str(installed.python), "install", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (installed.site_packages / "borrowed_dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n"
    )
    return installed


def test_the_wheel_carries_our_two_packages_and_their_data(installed: Installed) -> None:
    top = {p.name for p in installed.site_packages.iterdir() if not p.name.endswith("-info")}
    assert {"ai_catalog", "sync_ai_models"} <= top
    assert not {"shared", "functions"} & top
    package = installed.site_packages / "ai_catalog"
    assert len(list((package / "sql").glob("*.sql"))) == SQL_COUNT
    assert not (package / "sql").is_symlink()
    assert (package / "model_config.schema.json").is_file()
    assert {p.name for p in (package / "tokens" / "bpe").iterdir()} == {
        "o200k_base.tiktoken",
        "cl100k_base.tiktoken",
    }


def test_migrate_finds_the_sql_in_the_package(installed: Installed) -> None:
    with empty_database() as url:
        done = installed.run(
            str(installed.root / "bin" / "sync-ai-models"), "migrate", DATABASE_URL=url
        )
        assert done.returncode == 0, done.stderr
        assert f"{SQL_COUNT} migration(s) applied" in done.stdout


def test_estimate_for_an_openai_model_works_offline(installed: Installed, tmp_path: Path) -> None:
    chat = tmp_path / "chat.json"
    chat.write_text(json.dumps({"messages": [{"role": "user", "content": "hello world"}]}))
    empty_cache = tmp_path / "tiktoken-cache"
    empty_cache.mkdir()
    done = installed.run(
        str(installed.root / "bin" / "sync-ai-models"),
        "estimate",
        "--provider",
        "openai",
        "--model",
        "gpt-4o",
        "--messages",
        str(chat),
        "--json",
        TIKTOKEN_CACHE_DIR=str(empty_cache),
        # an embedded catalog of its own (the user's default one is not the test's business)
        SYNC_AI_MODELS_DATA_DIR=str(tmp_path / "pgdata"),
    )
    assert done.returncode == 0, done.stderr
    estimate = json.loads(done.stdout)
    assert (estimate["count_method"], estimate["estimated"]) == ("tiktoken", False)
    assert estimate["input_tokens"] > 0
    assert list(empty_cache.iterdir()) == []  # read from the package, nothing cached


def test_tokens_import_beside_an_applications_own_shared_package(installed: Installed) -> None:
    shared = installed.workdir / "shared"
    shared.mkdir(exist_ok=True)
    (shared / "__init__.py").write_text("")
    (shared / "tokens.py").write_text("MINE = True\n")
    done = installed.run(
        str(installed.python),
        "-c",
        "import json, shared.tokens, ai_catalog.tokens, ai_catalog.model_config as m; "
        "assert json.loads(m.SCHEMA_PATH.read_text()) == m.config_json_schema(); "
        "print(shared.tokens.MINE, ai_catalog.tokens.__file__)",
    )
    assert done.returncode == 0, done.stderr
    mine, path = done.stdout.split()
    assert mine == "True"
    assert Path(path).is_relative_to(installed.site_packages)
