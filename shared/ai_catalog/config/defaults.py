"""The config a sync proposes for a model, with the source of each field.

Order, highest first: the vendor's API (limits; prices where published), genai-prices (prices
and context windows), the limits catalog (`config.limits_catalog`), family rules
(`config.limit_rules`, `config.tokenizer_rules`), the app setting `APP_MAX_OUTPUT_TOKENS`.
What is particular to a provider (its tokenizer and limit rows, its ids in genai-prices and the
catalog) comes in as its `ProviderRules`, stated by its adapter.
A price is never invented: unknown stays null (and the model is not enabled for billing).
Prices come as a set from one source; fine-tunes get no genai-prices price (theirs differs from
the base model's) but take tokenizer and limits from their base.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from ai_catalog.config.limit_rules import rule_limits
from ai_catalog.config.limits_catalog import CATALOG_SOURCE, catalog_limits
from ai_catalog.config.pricing import genai_price
from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.config.tokenizer_rules import tokenizer_for
from ai_catalog.model_config import ModelConfig, NoTokenization, TokenizationStrategy
from ai_catalog.types import ProviderModel

VENDOR = "vendor_api"
RULE = "rule"
APP = "app_setting"
APP_CAP_ENV = "APP_MAX_OUTPUT_TOKENS"
_UNTOKENIZED_KINDS = frozenset({"image", "audio"})
FEATURES: tuple[tuple[str, str], ...] = (
    ("tools", "tool_use"),
    ("vision", "image_input"),
    ("reasoning", "reasoning"),
)
"""Vendor capability (ProviderModel.capabilities) -> the original's `features` string."""


def app_output_cap(env: Mapping[str, str] | None = None) -> int | None:
    raw = (os.environ if env is None else env).get(APP_CAP_ENV, "").strip()
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value > 0 else None


def _tokenization(rules: ProviderRules, model: ProviderModel) -> TokenizationStrategy:
    if model.kind in _UNTOKENIZED_KINDS:
        return NoTokenization()
    return tokenizer_for(rules.tokenizers, model.base_model or model.id)


def _prices(prices_id: str, model: ProviderModel, out: dict[str, Any], src: dict[str, str]) -> None:
    vp = model.prices
    if vp is not None and vp.input is not None and vp.output is not None:
        rates: dict[str, Decimal | None] = {
            "input_token_cost_rate": vp.input,
            "output_token_cost_rate": vp.output,
            "cache_read_token_cost_rate": vp.cache_read,
            "cache_write_token_cost_rate": vp.cache_write,
        }
        source = VENDOR
    elif model.base_model is None and (quote := genai_price(prices_id, model.id)) is not None:
        rates = {
            "input_token_cost_rate": quote.input,
            "output_token_cost_rate": quote.output,
            "cache_read_token_cost_rate": quote.cache_read,
            "cache_write_token_cost_rate": quote.cache_write,
        }
        if quote.tiers:
            out["price_tiers"] = list(quote.tiers)
            src["price_tiers"] = quote.source
        source = quote.source
    else:
        return
    for field, value in rates.items():
        if value is not None:
            out[field] = value
            src[field] = source


def _limits(
    prices_id: str,
    rules: ProviderRules,
    model: ProviderModel,
    out: dict[str, Any],
    src: dict[str, str],
) -> None:
    lookup_id = model.base_model or model.id
    quote = genai_price(prices_id, lookup_id)
    catalog = catalog_limits(rules, lookup_id)
    rule_context, rule_output = rule_limits(rules.limits, lookup_id)
    context_candidates = (
        (model.context_window, VENDOR),
        (quote.context_window if quote else None, quote.source if quote else ""),
        (catalog.context_window if catalog else None, CATALOG_SOURCE),
        (rule_context, RULE),
    )
    output_candidates = (
        (model.max_output, VENDOR),
        (catalog.max_output if catalog else None, CATALOG_SOURCE),
        (rule_output, RULE),
    )
    for field, candidates in (
        ("context_window_tokens", context_candidates),
        ("provider_max_output_tokens", output_candidates),
    ):
        for value, source in candidates:
            if value is not None:
                out[field] = value
                src[field] = source
                break
    if model.max_input is not None:
        out["provider_max_input_tokens"] = model.max_input
        src["provider_max_input_tokens"] = VENDOR


def _vendor_facts(
    model: ProviderModel, out: dict[str, Any], src: dict[str, str], today: date
) -> None:
    """`features` from the vendor's capabilities; `status` deprecated from its dates."""
    caps = model.capabilities
    features = [name for flag, name in FEATURES if getattr(caps, flag) is True]
    if features:
        out["features"] = features
        src["features"] = VENDOR
    if model.deprecation_date is not None:
        out["deprecation_date"] = model.deprecation_date
        src["deprecation_date"] = VENDOR
    retired = model.deprecation_date is not None and model.deprecation_date <= today
    if model.deprecated or retired:
        out["status"] = "deprecated"
        src["status"] = VENDOR


def _hard_cap(out: dict[str, Any], src: dict[str, str], app_cap: int | None) -> None:
    provider_max = out.get("provider_max_output_tokens")
    if app_cap is not None and (provider_max is None or app_cap < provider_max):
        out["hard_cap_output_tokens"] = app_cap
        src["hard_cap_output_tokens"] = APP
    elif provider_max is not None:
        out["hard_cap_output_tokens"] = provider_max
        src["hard_cap_output_tokens"] = src["provider_max_output_tokens"]


def build_config(
    provider: str,
    model: ProviderModel,
    rules: ProviderRules,
    *,
    env: Mapping[str, str] | None = None,
    today: date | None = None,
) -> tuple[ModelConfig, dict[str, str]]:
    """The proposed config and, per non-null field, where it came from. `rules` are the
    provider's own (its adapter's `rules`; `ai_catalog.vendors.defaults` looks them up by id).

    `env` supplies APP_MAX_OUTPUT_TOKENS (default: the process environment); `today` decides
    whether a deprecation date has passed (default: today in UTC)."""
    out: dict[str, Any] = {
        "api_identifier": model.id,
        "tokenization_strategy": _tokenization(rules, model),
    }
    src: dict[str, str] = {"api_identifier": VENDOR, "tokenization_strategy": RULE}
    _vendor_facts(model, out, src, today or datetime.now(UTC).date())
    prices_id = rules.genai_prices_id or provider
    _prices(prices_id, model, out, src)
    _limits(prices_id, rules, model, out, src)
    _hard_cap(out, src, app_output_cap(env))
    return ModelConfig(**out), src
