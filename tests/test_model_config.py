"""ModelConfig (pydantic), its exported JSON Schema and the database's check agree."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import jsonschema
import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ai_catalog.model_config import SCHEMA_PATH, ModelConfig, config_json_schema
from tests.support.catalog import entry


def test_exported_schema_is_current() -> None:
    assert json.loads(SCHEMA_PATH.read_text()) == config_json_schema(), (
        "run: python -c 'from ai_catalog.model_config import write_json_schema; "
        "write_json_schema()'"
    )


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"input_token_cost_rate": -0.000001}, "input_token_cost_rate"),
        ({"output_token_cost_rate": "0.00001"}, "output_token_cost_rate"),
        ({"context_window_tokens": "128k"}, "context_window_tokens"),
        ({"context_window_tokens": 1.5}, "context_window_tokens"),
        ({"hard_cap_output_tokens": 0}, "hard_cap_output_tokens"),
        ({"hard_cap_output_tokens": 999999}, "hard_cap_output_tokens"),
        ({"tokenization_strategy": {"type": "sentencepiece"}}, "tokenization_strategy.type"),
        (
            {"tokenization_strategy": {"type": "tiktoken", "encoding": "gpt2"}},
            "tokenization_strategy.encoding",
        ),
        (
            {"tokenization_strategy": {"type": "rough_char_count", "chars_per_token": 0}},
            "tokenization_strategy.chars_per_token",
        ),
        ({"tokenization_strategy": "tiktoken"}, "tokenization_strategy"),
        (
            {"price_tiers": [{"start_tokens": 200000, "input_token_cost_rate": -1}]},
            "price_tiers[0].input_token_cost_rate",
        ),
    ],
)
def test_broken_manual_edit_is_rejected_naming_the_field(
    db: psycopg.Connection, edit: dict[str, Any], field: str
) -> None:
    db.execute(
        "select sync_apply_provider_models('openai', %s::jsonb)",
        (json.dumps([entry("gpt-4o").to_json()]),),
    )
    before = db.execute("select config from ai_providers").fetchone()
    with pytest.raises(psycopg.errors.CheckViolation) as caught:
        db.execute("update ai_providers set config = config || %s::jsonb", (json.dumps(edit),))
    assert f"config.{field}" in str(caught.value)
    assert "openai/gpt-4o" in str(caught.value)
    assert db.execute("select config from ai_providers").fetchone() == before
    with pytest.raises(ValidationError):  # and the pydantic model says no as well
        ModelConfig.model_validate({**entry("gpt-4o").config.to_json(), **edit})


# Values a person might type into a config field, right or wrong.
json_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 300000),
    st.floats(-1, 1, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "12", "x"]),
    st.sampled_from(
        [
            {"type": "tiktoken", "encoding": "o200k_base"},
            {"type": "tiktoken", "encoding": "cl100k_base", "chatml": False},
            {"type": "tiktoken", "encoding": "gpt2"},
            {"type": "tiktoken", "encoding": "o200k_base", "chatml": "yes"},
            {"type": "rough_char_count", "chars_per_token": 3.5},
            {"type": "rough_char_count", "chars_per_token": -2},
            {"type": "provider_api", "fallback_chars_per_token": 4},
            {"type": "provider_api"},
            {"type": "none"},
            {"type": "none", "x": 1},
            {"type": "magic"},
            [],
            [{"start_tokens": 200000, "input_token_cost_rate": 0.000005}],
            [{"start_tokens": 0}],
            [{"start_tokens": 10, "extra": 1}],
        ]
    ),
)
fields = st.sampled_from(
    [
        "input_token_cost_rate",
        "output_token_cost_rate",
        "cache_read_token_cost_rate",
        "context_window_tokens",
        "hard_cap_output_tokens",
        "provider_max_output_tokens",
        "tokenization_strategy",
        "price_tiers",
        "team_note",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(fields, json_values, max_size=4))
def test_pydantic_sql_and_json_schema_agree(db: psycopg.Connection, config: dict[str, Any]) -> None:
    text = json.dumps(config)
    try:
        ModelConfig.model_validate_json(text)
        pydantic_ok = True
    except ValidationError:
        pydantic_ok = False
    sql_error, plainly_valid = db.execute(
        "select ai_config_error(%s::jsonb), ai_config_plainly_valid(%s::jsonb)", (text, text)
    ).fetchone() or (None, None)
    assert (sql_error is None) is pydantic_ok, (config, sql_error)
    if plainly_valid:  # the triggers' fast path never lets a broken config through
        assert sql_error is None, config
    schema_ok = jsonschema.Draft202012Validator(config_json_schema()).is_valid(
        json.loads(text, parse_float=Decimal)
    )
    cap, limit = config.get("hard_cap_output_tokens"), config.get("provider_max_output_tokens")
    cross_field = isinstance(cap, int) and isinstance(limit, int) and cap > limit
    if not cross_field:  # JSON Schema cannot say "one field not above another"
        assert schema_ok is pydantic_ok, config
