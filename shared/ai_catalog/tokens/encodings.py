"""Load tiktoken encodings once per process, offline.

o200k_base and cl100k_base (the encodings the default tokenizer rules name) ship inside this
package (`ai_catalog/tokens/bpe/`, OpenAI's published files) and are checked against the SHA-256
that tiktoken itself pins before use: no cache directory, no download.

The other encodings (p50k_base, r50k_base) go through tiktoken's own loader: it keeps each BPE
file in a cache directory (TIKTOKEN_CACHE_DIR), named by the SHA-1 of the file's blob URL, and
downloads it only when missing. Fill that directory where there is internet with
`TIKTOKEN_CACHE_DIR=<dir> python -m ai_catalog.tokens p50k_base r50k_base`.

When an encoding cannot be loaded, `EncodingUnavailableError` names the directory, the file and
the fix. Run `python -m ai_catalog.tokens --check` to see what a process would find.
"""

from __future__ import annotations

import base64
import hashlib
import os
import sys
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import tiktoken
import tiktoken.load

from ai_catalog.tokens.errors import EncodingUnavailableError

CACHE_ENV = "TIKTOKEN_CACHE_DIR"
ENCODING_NAMES: tuple[str, ...] = ("o200k_base", "cl100k_base", "p50k_base", "r50k_base")
"""The encodings a `TiktokenStrategy` may name."""

_BLOB_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"


@dataclass(frozen=True)
class ShippedEncoding:
    """An encoding whose BPE file ships in `bpe/`; the rest is as in tiktoken_ext.openai_public
    (a test compares the two)."""

    sha256: str
    """tiktoken's `expected_hash` for the file."""
    pat_str: str
    special_tokens: dict[str, int]

    def path(self, name: str) -> Path:
        return Path(str(files("ai_catalog.tokens") / "bpe" / f"{name}.tiktoken"))


_ENDOFTEXT, _ENDOFPROMPT = "<|endoftext|>", "<|endofprompt|>"
_FIM_PREFIX, _FIM_MIDDLE, _FIM_SUFFIX = "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>"

SHIPPED: dict[str, ShippedEncoding] = {
    "o200k_base": ShippedEncoding(
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        pat_str="|".join(
            [
                r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
                r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
                r"""\p{N}{1,3}""",
                r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
                r"""\s*[\r\n]+""",
                r"""\s+(?!\S)""",
                r"""\s+""",
            ]
        ),
        special_tokens={_ENDOFTEXT: 199999, _ENDOFPROMPT: 200018},
    ),
    "cl100k_base": ShippedEncoding(
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        pat_str=r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",  # noqa: E501
        special_tokens={
            _ENDOFTEXT: 100257,
            _FIM_PREFIX: 100258,
            _FIM_MIDDLE: 100259,
            _FIM_SUFFIX: 100260,
            _ENDOFPROMPT: 100276,
        },
    ),
}

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
    shipped = SHIPPED.get(name)
    if shipped is not None:
        return _load_shipped(name, shipped)
    try:
        return tiktoken.get_encoding(name)
    except Exception as exc:
        raise EncodingUnavailableError(unavailable_message(name, exc)) from exc


def _load_shipped(name: str, shipped: ShippedEncoding) -> tiktoken.Encoding:
    path = shipped.path(name)
    try:
        contents = path.read_bytes()
    except OSError as exc:
        raise EncodingUnavailableError(
            f"tiktoken encoding {name!r} is missing from this installation ({path}: {exc}); "
            "reinstall sync-ai-models"
        ) from exc
    if not tiktoken.load.check_hash(contents, shipped.sha256):
        raise EncodingUnavailableError(
            f"tiktoken encoding file {path} does not have tiktoken's SHA-256 {shipped.sha256}; "
            "reinstall sync-ai-models"
        )
    ranks = {
        base64.b64decode(token): int(rank)
        for token, rank in (line.split() for line in contents.splitlines() if line)
    }
    return tiktoken.Encoding(
        name,
        pat_str=shipped.pat_str,
        mergeable_ranks=ranks,
        special_tokens=shipped.special_tokens,
    )


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
        f"python -m ai_catalog.tokens {name}` (o200k_base and cl100k_base ship with "
        f"this package and need no directory)."
    )


def prefetch(names: Iterable[str] = ENCODING_NAMES) -> dict[str, Path | None]:
    """Load each encoding: the shipped ones from this package, the others into the cache
    directory (downloading when missing). Returns where each was found.

    Equivalent to the plain one-liner, usable before the project is installed:
    `python -c "import tiktoken; [tiktoken.get_encoding(n) for n in
    ('o200k_base', 'cl100k_base', 'p50k_base', 'r50k_base')]"`
    """
    found: dict[str, Path | None] = {}
    for name in names:
        get_encoding(name)
        found[name] = SHIPPED[name].path(name) if name in SHIPPED else cache_file(name)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check_only = "--check" in args
    names = [a for a in args if a != "--check"] or list(ENCODING_NAMES)
    if not check_only and CACHE_ENV not in os.environ:
        print(f"Set {CACHE_ENV} to the directory the files should go to.", file=sys.stderr)
        return 2
    failed = 0
    for name in names:
        file = SHIPPED[name].path(name) if name in SHIPPED else cache_file(name)
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
