"""The adapter base: configuration from the environment, paging, per-entry parsing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx
from pydantic import ValidationError

from ai_catalog.types import VendorModel
from ai_catalog.vendors._http import RetryPolicy, VendorHTTP
from ai_catalog.vendors._parse import MalformedEntry, envelope_list
from ai_catalog.vendors.errors import ProviderNotConfigured

_TRUTHY = frozenset({"1", "true", "yes", "on"})


def env_flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() in _TRUTHY


@dataclass
class ListResult:
    models: list[VendorModel] = field(default_factory=list)
    skipped_malformed: int = 0


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

    def __init__(self, http: VendorHTTP | None = None) -> None:
        self._http = http
        self.on_page: Callable[[list[Any]], None] | None = None
        """Told each page of entries as it arrives (fetch_catalog parses them meanwhile)."""

    @property
    def http(self) -> VendorHTTP:
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
        headers = {"Accept": "application/json", **cls.auth_headers(key)}
        http = VendorHTTP(
            cls.provider,
            client,
            cls.base_url(env),
            headers,
            policy=policy,
            secrets=(key,) if key else (),
        )
        return cls(http)

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

    def parse_entry(self, entry: dict[str, Any]) -> VendorModel:
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
            except (MalformedEntry, ValidationError, TypeError, ValueError, KeyError):
                result.skipped_malformed += 1
        return result
