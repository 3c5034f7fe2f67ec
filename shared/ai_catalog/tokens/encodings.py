"""Load tiktoken encodings once per process, offline when their files are in TIKTOKEN_CACHE_DIR.

tiktoken keeps each encoding's BPE file in a cache directory, named by the SHA-1 of the file's
blob URL, and checks it against a pinned SHA-256 before use; only when the file is missing does it
download it. So an offline process needs the genuine files in that directory beforehand:

- production image: `ENV TIKTOKEN_CACHE_DIR=/opt/tiktoken` and, at build time,
  `python -m ai_catalog.tokens` (or the plain tiktoken one-liner in `prefetch`'s docstring);
- tests: `tests/tokens/conftest.py` copies the genuine files that litellm's wheel ships.

When an encoding cannot be loaded, `EncodingUnavailableError` names the directory, the file and
the fix. Run `python -m ai_catalog.tokens --check` to see what a process would find.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import tiktoken

from ai_catalog.tokens.errors import EncodingUnavailableError

CACHE_ENV = "TIKTOKEN_CACHE_DIR"
ENCODING_NAMES: tuple[str, ...] = ("o200k_base", "cl100k_base", "p50k_base", "r50k_base")
"""The encodings a `TiktokenStrategy` may name."""

_BLOB_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"

_loaded: dict[str, tiktoken.Encoding] = {}
_load_lock = threading.Lock()


def cache_dir() -> Path | None:
    """The directory tiktoken reads (same rules as `tiktoken.load`); None when caching is off."""
    for variable in (CACHE_ENV, "DATA_GYM_CACHE_DIR"):
        if variable in os.environ:
            value = os.environ[variable]
            return Path(value) if value else None
    return Path(tempfile.gettempdir()) / "data-gym-cache"


def cache_key(name: str) -> str:
    """The file name tiktoken gives encoding `name` in its cache directory."""
    return hashlib.sha1(_BLOB_URL.format(name=name).encode()).hexdigest()


def cache_file(name: str) -> Path | None:
    """Where tiktoken looks for encoding `name`'s BPE file."""
    directory = cache_dir()
    return None if directory is None else directory / cache_key(name)


def get_encoding(name: str) -> tiktoken.Encoding:
    """The encoding `name`, loaded on first use and kept for the life of the process."""
    encoding = _loaded.get(name)
    if encoding is not None:
        return encoding
    with _load_lock:
        encoding = _loaded.get(name)
        if encoding is None:
            encoding = _load(name)
            _loaded[name] = encoding
    return encoding


def _load(name: str) -> tiktoken.Encoding:
    if name not in tiktoken.list_encoding_names():
        raise EncodingUnavailableError(
            f"Unknown tiktoken encoding {name!r}; known: {', '.join(ENCODING_NAMES)}"
        )
    try:
        return tiktoken.get_encoding(name)
    except Exception as exc:
        raise EncodingUnavailableError(unavailable_message(name, exc)) from exc


def unavailable_message(name: str, cause: BaseException) -> str:
    directory = cache_dir()
    where = (
        f"{CACHE_ENV}={os.environ[CACHE_ENV]!r}"
        if CACHE_ENV in os.environ
        else f"{CACHE_ENV} unset, so tiktoken used {str(directory)!r}"
    )
    file = cache_file(name)
    expected = f" (expected file {file.name})" if file is not None else ""
    return (
        f"tiktoken encoding {name!r} could not be loaded offline ({type(cause).__name__}: "
        f"{cause}); {where}{expected}. Fix: point {CACHE_ENV} at a directory holding the "
        f"encoding files, filled where there is internet by `{CACHE_ENV}=<dir> "
        f"python -m ai_catalog.tokens` (litellm's wheel also ships cl100k_base and "
        f"o200k_base in litellm/litellm_core_utils/tokenizers)."
    )


def prefetch(names: Iterable[str] = ENCODING_NAMES) -> dict[str, Path | None]:
    """Load (downloading when missing) each encoding into the cache directory.

    Equivalent to the plain one-liner, usable before the project is installed:
    `python -c "import tiktoken; [tiktoken.get_encoding(n) for n in
    ('o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base')]"`
    """
    files: dict[str, Path | None] = {}
    for name in names:
        get_encoding(name)
        files[name] = cache_file(name)
    return files


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check_only = "--check" in args
    names = [a for a in args if a != "--check"] or list(ENCODING_NAMES)
    if not check_only and CACHE_ENV not in os.environ:
        print(f"Set {CACHE_ENV} to the directory the files should go to.", file=sys.stderr)
        return 2
    failed = 0
    for name in names:
        file = cache_file(name)
        try:
            if check_only and (file is None or not file.exists()):
                raise EncodingUnavailableError(f"missing {file}")
            get_encoding(name)
        except EncodingUnavailableError as exc:
            failed += 1
            print(f"{name}: FAILED {exc}", file=sys.stderr)
        else:
            print(f"{name}: ok {file}")
    return 1 if failed else 0
