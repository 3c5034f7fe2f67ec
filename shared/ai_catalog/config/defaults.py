"""The config a sync proposes for a model, with the source of each field.

Order, highest first: the vendor's API (limits; prices where published), the maintained catalogs
(genai-prices for prices; for limits the majority of the limits catalog `config.limits_catalog`
and genai-prices' context windows), family rules (`config.limit_rules`,
`config.tokenizer_rules`), the app setting `APP_MAX_OUTPUT_TOKENS`. Catalog evidence is for the
model's own id (or the alias target the vendor names), never a sibling caught by a prefix.
What is particular to a provider (its tokenizer and limit rows, its ids in genai-prices and the
catalog) comes in as its `ProviderRules`, stated by its adapter.
A price is never invented: unknown stays null (and the model is not enabled for billing).
Prices come as a set from one source; fine-tunes get no genai-prices price (theirs differs from
the base model's) but take tokenizer and limits from their base.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from ai_catalog.config.limit_rules import rule_limits
from ai_catalog.config.limits_catalog import CATALOG_SOURCE, catalog_limits
from ai_catalog.config.pricing import genai_price
from ai_catalog.config.provider_rules import ProviderRules
from ai_catalog.config.sources import CatalogSource, SourceFacts
from ai_catalog.config.tokenizer_rules import tokenizer_for
from ai_catalog.model_config import ModelConfig, NoTokenization, TokenizationStrategy
from ai_catalog.types import ProviderModel

VENDOR = "vendor_api"
RULE = "rule"
APP = "app_setting"
APP_CAP_ENV = "APP_MAX_OUTPUT_TOKENS"
_Found = TypeVar("_Found")
_Value = TypeVar("_Value")
CONFLICT_PREFIX = "conflict:"
"""A `config_sources` key `conflict:<field>` lists what each maintained source said for a field
they disagree on (`catalog=131072; genai-prices@0.2.5=64000`)."""
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


def evidence_ids(model: ProviderModel) -> tuple[str, ...]:
    """The ids whose catalog evidence applies, in order: a fine-tune's base model; else the
    model (an alias's target as the vendor names it, or its own id), then the other ids the
    vendor lists as the same model, except moving `-latest` pointers (catalogs go stale on
    those: `mistral-large-latest` kept the previous Large's price). Never a sibling."""
    if model.base_model is not None:
        return (model.base_model,)
    head = model.alias_of or model.id
    same = (i for i in (model.id, *model.aliases) if i != head and not i.endswith("-latest"))
    return (head, *dict.fromkeys(same))


def _first(find: Callable[[str], _Found | None], ids: tuple[str, ...]) -> _Found | None:
    return next((found for i in ids if (found := find(i)) is not None), None)


PriceSet = dict[str, Decimal | None]


def _price_set(input_: Decimal | None, output: Decimal | None, read: Any, write: Any) -> PriceSet:
    return {
        "input_token_cost_rate": input_,
        "output_token_cost_rate": output,
        "cache_read_token_cost_rate": read,
        "cache_write_token_cost_rate": write,
    }


def _facts(
    provider: str, ids: tuple[str, ...], sources: Sequence[CatalogSource]
) -> list[SourceFacts]:
    found: list[SourceFacts] = []
    for source in sources:
        facts = _first(partial(source.facts, provider), ids)
        if facts is not None:
            found.append(facts)
    return found


def _prices(
    provider: str,
    prices_id: str,
    model: ProviderModel,
    out: dict[str, Any],
    src: dict[str, str],
    sources: Sequence[CatalogSource],
) -> None:
    """The vendor's own prices; else the maintained catalogs' majority (genai-prices first on a
    tie), as one set from one source. A fine-tune's price differs from its base: none."""
    vp = model.prices
    if vp is not None and vp.input is not None and vp.output is not None:
        rates, source = _price_set(vp.input, vp.output, vp.cache_read, vp.cache_write), VENDOR
    elif model.base_model is None:
        ids = evidence_ids(model)
        offers: dict[str, PriceSet] = {}
        if (quote := _first(lambda i: genai_price(prices_id, i), ids)) is not None:
            offers[quote.source] = _price_set(
                quote.input, quote.output, quote.cache_read, quote.cache_write
            )
        for facts in _facts(provider, ids, sources):
            offers[facts.source] = _price_set(
                facts.input, facts.output, facts.cache_read, facts.cache_write
            )
        pairs = tuple(
            ((p["input_token_cost_rate"], p["output_token_cost_rate"]), name)
            for name, p in offers.items()
            if p["input_token_cost_rate"] is not None  # an embedding model has no output rate
        )
        pair, source, conflict = majority(pairs)
        if conflict is not None:
            src[CONFLICT_PREFIX + "input_token_cost_rate"] = conflict
        if pair is None:
            return
        rates = offers[source]
        if quote is not None and source == quote.source and quote.tiers:
            out["price_tiers"] = list(quote.tiers)
            src["price_tiers"] = quote.source
    else:
        return
    for field, value in rates.items():
        if value is not None:
            out[field] = value
            src[field] = source


def _shown(value: object) -> str:
    """A value as a conflict lists it: a price pair as `input/output` USD per token."""
    return "/".join(map(str, value)) if isinstance(value, tuple) else str(value)


def majority(
    candidates: tuple[tuple[_Value | None, str], ...],
) -> tuple[_Value | None, str, str | None]:
    """(value, source, disagreement) among maintained sources, listed in precedence order: the
    value most of them give wins; without a majority the first listed. `disagreement` names
    every source's value when they differ."""
    given = [(value, source) for value, source in candidates if value is not None]
    if not given:
        return None, "", None
    counts = Counter(value for value, _ in given)
    ranked = counts.most_common()
    top_value = ranked[0][0]
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        top_value = given[0][0]  # a tie: the first source in precedence order
    source = next(source for value, source in given if value == top_value)
    conflict = (
        "; ".join(f"{src}={_shown(value)}" for value, src in given) if len(counts) > 1 else None
    )
    return top_value, source, conflict


def _limits(
    provider: str,
    prices_id: str,
    rules: ProviderRules,
    model: ProviderModel,
    out: dict[str, Any],
    src: dict[str, str],
    sources: Sequence[CatalogSource],
) -> None:
    """Vendor facts first; then the maintained catalogs' majority (on a tie the limits catalog
    first, then the run-time catalogs, then genai-prices: a catalog of prices); then rules."""
    ids = evidence_ids(model)
    quote = _first(lambda i: genai_price(prices_id, i), ids)
    catalog = _first(lambda i: catalog_limits(rules, i), ids)
    found = _facts(provider, ids, sources)
    rule_context, rule_output = rule_limits(rules.limits, ids[0])
    context_candidates: tuple[tuple[int | None, str], ...] = (
        (catalog.context_window if catalog else None, CATALOG_SOURCE),
        *((f.context_window, f.source) for f in found),
        (quote.context_window if quote else None, quote.source if quote else ""),
    )
    output_candidates: tuple[tuple[int | None, str], ...] = (
        (catalog.max_output if catalog else None, CATALOG_SOURCE),
        # models.dev's output limit of an embedding model is its vector size: chat models only
        *((f.max_output, f.source) for f in found if model.kind == "chat"),
    )
    for field, vendor_value, candidates, rule_value in (
        ("context_window_tokens", model.context_window, context_candidates, rule_context),
        ("provider_max_output_tokens", model.max_output, output_candidates, rule_output),
    ):
        value, source, conflict = majority(candidates)
        if conflict is not None:
            src[CONFLICT_PREFIX + field] = conflict
        if vendor_value is not None:
            value, source = vendor_value, VENDOR
        elif value is None and rule_value is not None:
            value, source = rule_value, RULE
        if value is not None:
            out[field] = value
            src[field] = source
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
    sources: Sequence[CatalogSource] = (),
) -> tuple[ModelConfig, dict[str, str]]:
    """The proposed config and, per non-null field, where it came from. `rules` are the
    provider's own (its adapter's `rules`; `ai_catalog.vendors.defaults` looks them up by id).

    `env` supplies APP_MAX_OUTPUT_TOKENS (default: the process environment); `today` decides
    whether a deprecation date has passed (default: today in UTC); `sources`: maintained
    catalogs read at run time (models.dev), beside the bundled ones."""
    out: dict[str, Any] = {
        "api_identifier": model.id,
        "tokenization_strategy": _tokenization(rules, model),
    }
    src: dict[str, str] = {"api_identifier": VENDOR, "tokenization_strategy": RULE}
    _vendor_facts(model, out, src, today or datetime.now(UTC).date())
    prices_id = rules.genai_prices_id or provider
    _prices(provider, prices_id, model, out, src, sources)
    _limits(provider, prices_id, rules, model, out, src, sources)
    _hard_cap(out, src, app_output_cap(env))
    return ModelConfig(**out), src
