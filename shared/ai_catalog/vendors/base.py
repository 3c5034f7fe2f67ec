"""The adapter base: configuration from the environment, paging, per-entry parsing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import httpx
from pydantic import ValidationError

from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.types import ProviderModel
from ai_catalog.vendors._http import ProviderHTTP, RetryPolicy
from ai_catalog.vendors._parse import MalformedEntry, envelope_list
from ai_catalog.vendors.errors import ProviderNotConfigured, ProviderResponseError
from ai_catalog.vendors.limits import ProviderLimits, limits_from_env

_TRUTHY = frozenset({"1", "true", "yes", "on"})


def env_flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in _TRUTHY


@dataclass
class ListResult:
    models: list[ProviderModel] = field(default_factory=list)
    skip_reasons: Counter[str] = field(default_factory=Counter)
    """Why entries were skipped: reason -> how many."""

    @property
    def skipped_malformed(self) -> int:
        return sum(self.skip_reasons.values())


def skip_reason(exc: Exception) -> str:
    """A short reason for a skipped entry: our own words, never a value from the entry."""
    if isinstance(exc, MalformedEntry):
        return str(exc)
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "entry"
        return f"invalid {where}"
    return f"unreadable ({type(exc).__name__})"


class Pager:
    """Guards one listing's paging: a cursor (token, link) seen before or more than `max_pages`
    pages fail the vendor, so a listing cut short is never applied as if it were complete."""

    def __init__(self, provider: str, max_pages: int) -> None:
        self.provider = provider
        self.max_pages = max_pages
        self.pages = 1
        self.seen: set[str] = set()

    def follow(self, cursor: Any) -> bool:
        """True: fetch the page `cursor` names; False: the listing is complete."""
        if cursor is None or cursor == "":
            return False
        if not isinstance(cursor, str):
            raise ProviderResponseError(self.provider, "paging cursor is not a string")
        if cursor in self.seen:
            raise ProviderResponseError(self.provider, "paging loops: a cursor came back")
        if self.pages >= self.max_pages:
            raise ProviderResponseError(
                self.provider, f"listing has more than {self.max_pages} pages"
            )
        self.seen.add(cursor)
        self.pages += 1
        return True


class ProviderAdapter:
    """One vendor. Subclasses set the class attributes and implement the two hooks:
    `fetch_entries` (all raw entries, every page) and `parse_entry` (one raw entry)."""

    provider: ClassVar[str]
    default_base_url: ClassVar[str]
    key_names: ClassVar[tuple[str, ...]] = ()
    """Environment variables holding the key, first set wins; empty = `<P>_API_KEY`."""
    key_required: ClassVar[bool] = True
    enable_flag: ClassVar[str | None] = None
    """For vendors that need no key: the variable that switches them on."""

    page_key: ClassVar[str | None] = "data"
    """Where a page body keeps its entries (None: the body is the list)."""

    rules: ClassVar[ProviderRules] = ProviderRules()
    """The provider's own rules for default configs: tokenizer and limit rows, its keys in the
    limits catalog and genai-prices."""

    def __init__(
        self, http: ProviderHTTP | None = None, limits: ProviderLimits | None = None
    ) -> None:
        self._http = http
        self.limits = limits or ProviderLimits()
        self.on_page: Callable[[list[Any]], None] | None = None
        """Told each page of entries as it arrives (fetch_catalog parses them meanwhile)."""

    @property
    def http(self) -> ProviderHTTP:
        assert self._http is not None, "adapter built without a client (parse-only)"
        return self._http

    # --- configuration -------------------------------------------------------------------------

    @classmethod
    def env_prefix(cls) -> str:
        return cls.provider.upper()

    @classmethod
    def api_key(cls, env: Mapping[str, str]) -> str | None:
        for name in cls.key_names or (f"{cls.env_prefix()}_API_KEY",):
            value = env.get(name, "").strip()
            if value:
                return value
        return None

    @classmethod
    def base_url(cls, env: Mapping[str, str]) -> str:
        return env.get(f"{cls.env_prefix()}_BASE_URL", "").strip() or cls.default_base_url

    @classmethod
    def is_enabled(cls, env: Mapping[str, str]) -> bool:
        if cls.api_key(env):
            return True
        return (
            not cls.key_required and cls.enable_flag is not None and env_flag(env, cls.enable_flag)
        )

    @classmethod
    def auth_headers(cls, key: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"} if key else {}

    @classmethod
    def base_model_of(cls, model_id: str) -> str | None:
        """A fine-tune's base model, read from its id alone (None: not a fine-tune)."""
        return None

    @classmethod
    def from_env(
        cls,
        client: httpx.AsyncClient,
        env: Mapping[str, str],
        *,
        policy: RetryPolicy | None = None,
    ) -> ProviderAdapter:
        if not cls.is_enabled(env):
            names = " or ".join(cls.key_names or (f"{cls.env_prefix()}_API_KEY",))
            hint = f" (or set {cls.enable_flag}=1)" if cls.enable_flag else ""
            raise ProviderNotConfigured(cls.provider, f"not configured: set {names}{hint}")
        key = cls.api_key(env)
        limits = limits_from_env(env, cls.provider)
        if policy is None:
            seconds = limits.timeout_seconds
            timeout = httpx.Timeout(seconds, connect=min(10.0, seconds))
            policy = replace(RetryPolicy(), timeout=timeout)
        headers = {"Accept": "application/json", **cls.auth_headers(key)}
        http = ProviderHTTP(
            cls.provider,
            client,
            cls.base_url(env),
            headers,
            policy=policy,
            secrets=(key,) if key else (),
            max_bytes=limits.max_response_bytes,
        )
        return cls(http, limits)

    def pager(self) -> Pager:
        return Pager(self.provider, self.limits.max_pages)

    # --- listing -------------------------------------------------------------------------------

    def page_arrived(self, entries: list[Any]) -> list[Any]:
        """Paging adapters pass each page through here; returns it unchanged."""
        if self.on_page is not None:
            self.on_page(entries)
        return entries

    def page_entries(self, body: Any) -> list[Any]:
        return envelope_list(self.provider, body, self.page_key)

    async def fetch_entries(self) -> list[Any]:
        raise NotImplementedError

    def parse_entry(self, entry: dict[str, Any]) -> ProviderModel:
        raise NotImplementedError

    async def list_models(self) -> ListResult:
        return self.parse_entries(await self.fetch_entries())

    def parse_entries(self, entries: list[Any]) -> ListResult:
        result = ListResult()
        for entry in entries:
            try:
                if not isinstance(entry, dict):
                    raise MalformedEntry("entry is not an object")
                result.models.append(self.parse_entry(entry))
            except Exception as exc:  # any fault of one entry skips that entry only
                result.skip_reasons[skip_reason(exc)] += 1
        return result
