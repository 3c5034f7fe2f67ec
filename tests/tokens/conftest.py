"""Offline tiktoken for the token tests: genuine encoding files, never a download.

tiktoken looks for each encoding in TIKTOKEN_CACHE_DIR (file named by the SHA-1 of its blob URL)
and checks the pinned SHA-256 before use. When TIKTOKEN_CACHE_DIR does not already hold
cl100k_base and o200k_base, the files litellm's wheel ships (litellm is a test dependency) are
copied into a session directory. Any download attempt fails at once instead of reaching out.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import tiktoken.load

from ai_catalog.tokens.encodings import CACHE_ENV, cache_key

TEST_ENCODINGS = ("cl100k_base", "o200k_base")


def litellm_tokenizer_dir() -> Path | None:
    """litellm's bundled tiktoken cache, found without importing litellm (slow, sets env)."""
    spec = importlib.util.find_spec("litellm")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "litellm_core_utils" / "tokenizers"


def _holds_all(directory: Path | None) -> bool:
    return directory is not None and all(
        (directory / cache_key(n)).is_file() for n in TEST_ENCODINGS
    )


@pytest.fixture(scope="session", autouse=True)
def offline_tiktoken(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path | None]:
    patch = pytest.MonkeyPatch()
    # litellm otherwise fetches its price map from GitHub on import.
    patch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    configured = os.environ.get(CACHE_ENV)
    cache: Path | None = Path(configured) if configured else None
    if not _holds_all(cache):
        source = litellm_tokenizer_dir()
        if _holds_all(source):
            assert source is not None
            cache = tmp_path_factory.mktemp("tiktoken")
            for name in TEST_ENCODINGS:
                shutil.copyfile(source / cache_key(name), cache / cache_key(name))
            patch.setenv(CACHE_ENV, str(cache))
            # litellm sets TIKTOKEN_CACHE_DIR on import unless told to keep this one.
            patch.setenv("CUSTOM_TIKTOKEN_CACHE_DIR", str(cache))
    real_read_file = tiktoken.load.read_file

    def offline_read_file(blobpath: str) -> bytes:
        if "://" in blobpath:
            raise ConnectionError(f"tests are offline; tiktoken tried to download {blobpath}")
        return real_read_file(blobpath)

    patch.setattr(tiktoken.load, "read_file", offline_read_file)
    yield cache
    patch.undo()
