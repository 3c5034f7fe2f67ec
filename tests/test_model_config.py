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
        ({"context_window_tokens": None}, "context_window_tokens"),
        ({"api_identifier": ""}, "api_identifier"),
        ({"status": "retired"}, "status"),
        ({"features": ["tool_use", 3]}, "features"),
        ({"default_temperature": 2.5}, "default_temperature"),
        ({"deprecation_date": "2025-02-30"}, "deprecation_date"),
        ({"tokenization_strategy": {"type": "sentencepiece"}}, "tokenization_strategy.type"),
        (
            {"tokenization_strategy": {"type": "tiktoken", "tiktoken_encoding_name": "gpt2"}},
            "tokenization_strategy.tiktoken_encoding_name",
        ),
        (
            {"tokenization_strategy": {"type": "rough_char_count", "chars_per_token_ratio": 0}},
            "tokenization_strategy.chars_per_token_ratio",
        ),
        (
            {"tokenization_strategy": {"type": "anthropic_tokenizer"}},
            "tokenization_strategy.model",
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


# Numbers as JSON text, right and wrong for each rule: digits, range, sign, integrality.
json_numbers = st.one_of(
    st.sampled_from(
        [
            "0",
            "-0",
            "1",
            "5.0",
            "0.0000025",
            "2.5e-6",
            "-1",
            "1e-400",
            "1e400",
            "1e-300",
            "1e300",
            "1.0000000000000001e300",
            "9007199254740991",
            "9007199254740992",
            "0.123456789012345",
            "0.1234567890123456",
            "0.30000000000000004",
            "2",
            "2.0000000001",
            "1.5",
            "3.5",
            "200000",
            "16384",
        ]
    ),
    st.decimals(allow_nan=False, allow_infinity=False, places=None).map(str),
    st.integers(-5, 300000).map(str),
)
strings = st.sampled_from(['""', '"x"', '"2025-01-31"', '"2025-02-30"', '"0999-01-01"', '"beta"'])
scalars = st.one_of(st.just("null"), st.sampled_from(["true", "false"]), json_numbers, strings)
strategy_types = st.sampled_from(
    [
        '"tiktoken"',
        '"rough_char_count"',
        '"anthropic_tokenizer"',
        '"google_gemini_tokenizer"',
        '"none"',
        '"provider_api"',
        "1",
    ]
)
strategy_keys = st.sampled_from(
    [
        "tiktoken_encoding_name",
        "is_chatml_model",
        "api_identifier_for_tokenization",
        "chars_per_token_ratio",
        "model",
        "encoding",
    ]
)


@st.composite
def json_objects(draw: st.DrawFn, keys: st.SearchStrategy[str], values: Any) -> str:
    chosen = draw(st.dictionaries(keys, values, max_size=4))
    return "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in chosen.items()) + "}"


strategy_values = st.one_of(
    scalars, st.sampled_from(['"o200k_base"', '"cl100k_base"', '"gpt2"', '"claude-3"'])
)
tokenization = st.builds(
    lambda kind, rest: '{"type": ' + kind + (", " + rest[1:-1] if rest != "{}" else "") + "}",
    strategy_types,
    json_objects(strategy_keys, strategy_values),
)
tiers = st.lists(
    json_objects(
        st.sampled_from(["start_tokens", "input_token_cost_rate", "output_token_cost_rate", "x"]),
        scalars,
    ),
    max_size=2,
).map(lambda items: "[" + ", ".join(items) + "]")
features = st.lists(strings | json_numbers, max_size=2).map(
    lambda items: "[" + ",".join(items) + "]"
)
fields = st.sampled_from(
    [
        "api_identifier",
        "input_token_cost_rate",
        "output_token_cost_rate",
        "cache_read_token_cost_rate",
        "context_window_tokens",
        "hard_cap_output_tokens",
        "provider_max_input_tokens",
        "provider_max_output_tokens",
        "tokenization_strategy",
        "price_tiers",
        "status",
        "features",
        "notes",
        "default_temperature",
        "default_top_p",
        "deprecation_date",
        "team_note",
    ]
)
GOOD = {
    "api_identifier": ['"gpt-4o"'],
    "input_token_cost_rate": ["null", "0", "0.0000025", "1e-300", "0.123456789012345"],
    "output_token_cost_rate": ["null", "0.00001"],
    "context_window_tokens": ["128000", "5.0", "9007199254740991"],
    "provider_max_output_tokens": ["16384"],
    "tokenization_strategy": [
        '{"type": "tiktoken", "tiktoken_encoding_name": "o200k_base", "is_chatml_model": true}',
        '{"type": "rough_char_count", "chars_per_token_ratio": 3.5}',
        '{"type": "anthropic_tokenizer", "model": "claude-3"}',
        '{"type": "google_gemini_tokenizer", "chars_per_token_ratio": 1e300}',
        '{"type": "none"}',
    ],
    "status": ['"deprecated"'],
    "features": ['["tool_use", "image_input"]', "[]"],
    "default_temperature": ["0", "2", "0.7"],
    "default_top_p": ["1"],
    "deprecation_date": ['"2025-01-31"', "null"],
    "price_tiers": ['[{"start_tokens": 200000, "input_token_cost_rate": 0.0000025}]', "null"],
}


@st.composite
def mostly_valid(draw: st.DrawFn) -> str:
    """A valid config, then maybe one field broken."""
    keys = draw(st.sets(st.sampled_from(sorted(GOOD)), max_size=6))
    chosen = {k: draw(st.sampled_from(GOOD[k])) for k in keys}
    if draw(st.booleans()):
        chosen[draw(fields)] = draw(st.one_of(scalars, tokenization, tiers, features))
    return "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in chosen.items()) + "}"


configs = json_objects(fields, st.one_of(scalars, tokenization, tiers, features)) | mostly_valid()


def pydantic_verdict(text: str) -> bool:
    try:
        # the exact decimals, as the database sees them
        ModelConfig.model_validate(json.loads(text, parse_float=Decimal))
    except ValidationError:
        return False
    return True


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(configs)
def test_pydantic_and_sql_agree(db: psycopg.Connection, text: str) -> None:
    """Configs generated both ways (valid and broken): both validators give the same verdict."""
    sql_error, plainly_valid = db.execute(
        "select ai_config_error(%s::jsonb), ai_config_plainly_valid(%s::jsonb)", (text, text)
    ).fetchone() or (None, None)
    assert (sql_error is None) is pydantic_verdict(text), (text, sql_error)
    if plainly_valid:  # the triggers' fast path never lets a broken config through
        assert sql_error is None, text


@settings(max_examples=300, deadline=None)
@given(configs)
def test_what_pydantic_accepts_the_json_schema_accepts(text: str) -> None:
    # (JSON Schema is looser: it cannot say "one field not above another", a cost's digits, or
    # a real day, so only this direction holds)
    if pydantic_verdict(text):
        config = json.loads(text)  # (the validator takes 5.0 as an integer only as a float)
        assert jsonschema.Draft202012Validator(config_json_schema()).is_valid(config), text


@pytest.mark.parametrize(
    "text",
    [
        '{"input_token_cost_rate": 0.1234567890123456}',
        '{"input_token_cost_rate": 1e-400}',
        '{"tokenization_strategy": {"type": "rough_char_count", "chars_per_token_ratio": 1e400}}',
        '{"context_window_tokens": null}',
        '{"context_window_tokens": 9007199254740992}',
    ],
)
def test_what_sql_used_to_accept_is_refused_by_both(db: psycopg.Connection, text: str) -> None:
    found = db.execute("select ai_config_error(%s::jsonb)", (text,)).fetchone()
    assert found is not None and found[0] is not None
    assert not pydantic_verdict(text)


def test_a_broken_baseline_is_refused_and_never_breaks_reads(db: psycopg.Connection) -> None:
    db.execute(
        "select sync_apply_provider_models('openai', %s::jsonb)",
        (json.dumps([entry("gpt-4o").to_json()]),),
    )
    for broken in ('"x"', '{"context_window_tokens": -1}'):
        with pytest.raises(psycopg.errors.CheckViolation, match="sync_baseline"):
            db.execute("update ai_providers set sync_baseline = %s::jsonb", (broken,))
    # one written before the check existed: reads name every field as edited, no error
    # (a baseline that is not an object cannot exist at all: a constraint, 0021)
    db.execute("alter table ai_providers disable trigger ai_providers_check_baseline_update")
    with pytest.raises(psycopg.errors.CheckViolation, match="sync_baseline_is_object"):
        db.execute("""update ai_providers set sync_baseline = '"x"'""")
    db.execute("""update ai_providers set sync_baseline = '{"context_window_tokens": -1}'""")
    found = db.execute("select sync_get_model_config('openai', 'gpt-4o')").fetchone()
    assert found is not None
    assert "tokenization_strategy" in found[0]["overridden_fields"]
