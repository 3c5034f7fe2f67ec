"""What a model's default config depends on besides the vendor's entry, as one version string.

An entry that hashes the same as at the last sync, under the same version, would build the same
config: the sync then sends a claim (id + fingerprint) instead of rebuilding it. Whatever shapes
a config belongs here: this package, the pricing data, the limits catalog, the copy of each
catalog read at run time, the app's output cap.
The database forgets fingerprints a day after a model was last seen, so a change not captured
here (a rule edited in a checkout) still reaches every row within a day.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from collections.abc import Mapping, Sequence
from functools import cache

from ai_catalog.config.defaults import APP_CAP_ENV
from ai_catalog.config.pricing import GENAI_PRICES_SOURCE
from ai_catalog.config.sources import CatalogSource
from ai_catalog.types import ProviderModel


@cache
def _installed(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def config_version(
    env: Mapping[str, str] | None = None, sources: Sequence[CatalogSource] = ()
) -> str:
    env = os.environ if env is None else env
    return "|".join(
        (
            f"sync-ai-models@{_installed('sync-ai-models')}",
            GENAI_PRICES_SOURCE,
            f"litellm@{_installed('litellm')}",
            f"cap={env.get(APP_CAP_ENV, '').strip()}",
            *(source.version for source in sources),
        )
    )


def entry_fingerprint(model: ProviderModel, version: str) -> str:
    """The fingerprint of everything a model's catalog entry is built from."""
    digest = hashlib.blake2b(model.model_dump_json().encode(), digest_size=16)
    digest.update(version.encode())
    return digest.hexdigest()
