"""Errors raised by the vendor adapters.

Hierarchy::

    ProviderError                  any failure of one vendor; attributes provider, status, message
     +-- ProviderNotConfigured     no key (or, for openrouter/ollama, not switched on)
     +-- ProviderHTTPError         the vendor answered with a non-2xx status after retries
     |    +-- ProviderAuthError    401 or 403: the key is wrong or lacks rights (never retried)
     +-- ProviderTransportError    connect error or timeout after retries (status is None)
     +-- ProviderResponseError     2xx but not JSON, or not the expected envelope

A message names the vendor, the status and a short reason; it never contains the key.
"""

from __future__ import annotations


class ProviderError(Exception):
    """One vendor's list could not be read; nothing is written for that vendor."""

    def __init__(self, provider: str, message: str, *, status: int | None = None) -> None:
        self.provider = provider
        self.status = status
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        status = f" HTTP {self.status}" if self.status is not None else ""
        return f"{self.provider}:{status} {self.message}"


class ProviderNotConfigured(ProviderError):
    pass


class ProviderHTTPError(ProviderError):
    pass


class ProviderAuthError(ProviderHTTPError):
    pass


class ProviderTransportError(ProviderError):
    pass


class ProviderResponseError(ProviderError):
    pass
