"""Every config this project writes passes the original application's own schema (a JSON Schema
equivalent of its zod `AiModelExtendedConfig`, tests/original_config.schema.json)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ai_catalog.types import Capabilities, ProviderModel, ProviderPrices
from ai_catalog.vendors import PROVIDERS
from ai_catalog.vendors import parse_page as parse_body
from ai_catalog.vendors.defaults import build_default_config
from ai_catalog.vendors.listing import to_entry

ORIGINAL = jsonschema.Draft202012Validator(
    json.loads((Path(__file__).parent / "original_config.schema.json").read_text())
)
FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "provider-fixtures"
FILE_PROVIDER = {"gemini": "google"}

ids = st.sampled_from(
    [
        "gpt-4o",
        "gpt-4o-mini",
        "o3-mini",
        "text-embedding-3-small",
        "claude-3-5-haiku-20241022",
        "gemini-2.5-pro",
        "llama-3.3-70b-versatile",
        "mistral-large-latest",
        "deepseek-chat",
        "openai/gpt-4o",
        "anthropic/claude-3-haiku",
        "ft:gpt-4o-mini-2024-07-18:acme::X1",
        "unknown-model-x",
        "qwen3:8b",
    ]
)
limits = st.none() | st.integers(1, 2_000_000)
rates = st.none() | st.decimals(min_value=0, max_value=Decimal("0.001"), places=10)


@st.composite
def vendor_models(draw: st.DrawFn) -> tuple[str, ProviderModel]:
    provider = draw(st.sampled_from(sorted(PROVIDERS)))
    prices = None
    if draw(st.booleans()):
        prices = ProviderPrices(input=draw(rates), output=draw(rates), cache_read=draw(rates))
    model = ProviderModel(
        provider=provider,
        id=draw(ids),
        kind=draw(st.sampled_from(["chat", "embedding", "image", "audio", "other"])),
        context_window=draw(limits),
        max_input=draw(limits),
        max_output=draw(limits),
        prices=prices,
        capabilities=Capabilities(
            tools=draw(st.none() | st.booleans()),
            vision=draw(st.none() | st.booleans()),
            reasoning=draw(st.none() | st.booleans()),
        ),
        deprecation_date=draw(st.none() | st.dates(date(2020, 1, 1), date(2030, 1, 1))),
        deprecated=draw(st.none() | st.booleans()),
    )
    return provider, model


@settings(max_examples=300, deadline=None)
@given(vendor_models(), st.sampled_from([{}, {"APP_MAX_OUTPUT_TOKENS": "4096"}]))
def test_every_default_config_passes_the_original_schema(
    case: tuple[str, ProviderModel], env: dict[str, str]
) -> None:
    provider, model = case
    config, _ = build_default_config(provider, model, env=env)
    written = config.to_json()
    errors = [e.message for e in ORIGINAL.iter_errors(written)]
    assert not errors, (written, errors)
    assert written["api_identifier"] == model.id
    assert all(written.get(f) is not None for f in written if f.endswith("_tokens"))
    if model.deprecated:
        assert written["status"] == "deprecated"
    if model.capabilities.tools:
        assert "tool_use" in written["features"]


def _fixture_files() -> list[Path]:
    if not FIXTURES.is_dir():
        return []
    return [
        f
        for f in sorted(FIXTURES.glob("*.json"))
        if not f.name.startswith("models-dev__") and "api_show" not in f.name
    ]


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/provider-fixtures absent")
def test_a_sync_of_the_recorded_vendor_lists_writes_only_passing_configs(
    db: psycopg.Connection,
) -> None:
    free: list[str] = []
    for path in _fixture_files():
        provider = path.name.split("__")[0]
        provider = FILE_PROVIDER.get(provider, provider)
        models, _ = parse_body(provider, json.loads(path.read_text()))
        entries = [to_entry(m, {}).to_json() for m in models]
        db.execute(
            "select sync_apply_provider_models(%s, %s::jsonb, p_force => true)",
            (provider, json.dumps(entries)),
        )
        free += [
            m.id
            for m in models
            if m.prices is not None and (m.prices.input, m.prices.output) == (0, 0)
        ]
    rows: list[tuple[str, str, dict[str, Any], Any]] = db.execute(
        "select provider, api_identifier, config, raw_entry from ai_providers"
    ).fetchall()
    assert len(rows) > 400
    failing = [
        (p, a, [e.message for e in ORIGINAL.iter_errors(c)])
        for p, a, c, _ in rows
        if not ORIGINAL.is_valid(c)
    ]
    assert failing == []
    # a zero price only for a model the vendor itself lists as free
    zero_priced = [
        a
        for _, a, c, _ in rows
        if c.get("input_token_cost_rate") == 0 or c.get("output_token_cost_rate") == 0
    ]
    assert free and sorted(zero_priced) == sorted(set(free))
