"""Property test: the SQL merge agrees with a small Python model of the rule."""

from __future__ import annotations

import itertools
import json
from typing import Any

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

COUNTS = ("context_window_tokens", "hard_cap_output_tokens", "provider_max_output_tokens")
STRATEGIES = [
    {"type": "tiktoken", "tiktoken_encoding_name": "o200k_base", "is_chatml_model": True},
    {"type": "tiktoken", "tiktoken_encoding_name": "cl100k_base", "is_chatml_model": True},
    {"type": "none"},
]
_providers = itertools.count()


def model_merge(
    b: dict[str, Any], c: dict[str, Any], n: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    """The rule, plainly: sync-owned fields (C == B) take N; the rest keep C; cap clamped."""
    merged: dict[str, Any] = {}
    kept = 0
    for key in b.keys() | c.keys() | n.keys():
        manual = c.get(key) != b.get(key)
        value = c.get(key) if manual else n.get(key)
        kept += manual and n.get(key) != b.get(key)
        if value is not None:
            merged[key] = value
    cap, limit = merged.get("hard_cap_output_tokens"), merged.get("provider_max_output_tokens")
    if cap is not None and limit is not None and cap > limit:
        merged["hard_cap_output_tokens"] = limit
    return merged, kept


@st.composite
def valid_config(draw: st.DrawFn) -> dict[str, Any]:
    # a limit is absent when unknown (never null)
    drawn = {f: draw(st.none() | st.integers(1, 4)) for f in COUNTS}
    config: dict[str, Any] = {f: v for f, v in drawn.items() if v is not None}
    config["input_token_cost_rate"] = draw(st.sampled_from([None, 0.000001, 0.000002]))
    config["tokenization_strategy"] = draw(st.sampled_from(STRATEGIES))
    cap, limit = config.get("hard_cap_output_tokens"), config.get("provider_max_output_tokens")
    if cap is not None and limit is not None and cap > limit:
        config["hard_cap_output_tokens"] = limit
    return config


@st.composite
def manual_edit(draw: st.DrawFn, baseline: dict[str, Any]) -> dict[str, Any]:
    edited = dict(baseline)
    for key in draw(
        st.sets(
            st.sampled_from([*COUNTS, "input_token_cost_rate", "tokenization_strategy", "note"])
        )
    ):
        if key == "note":
            edited[key] = "kept by a person"
        elif key == "tokenization_strategy":
            edited[key] = draw(st.sampled_from(STRATEGIES))
        elif key == "input_token_cost_rate":
            edited[key] = draw(st.sampled_from([None, 0.000003]))
        elif (count := draw(st.none() | st.integers(1, 4))) is None:
            edited.pop(key, None)  # a person removes a limit: the key goes, never a null
        else:
            edited[key] = count
    cap, limit = edited.get("hard_cap_output_tokens"), edited.get("provider_max_output_tokens")
    if cap is not None and limit is not None and cap > limit:
        edited["hard_cap_output_tokens"] = limit
    return edited


@st.composite
def scenario(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    b = draw(valid_config())
    return b, draw(manual_edit(b)), draw(valid_config())


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenario())
def test_sql_merge_matches_the_model(
    db: psycopg.Connection, case: tuple[dict[str, Any], dict[str, Any], dict[str, Any]]
) -> None:
    b, c, n = case
    provider = f"prop{next(_providers)}"

    def apply(config: dict[str, Any]) -> dict[str, Any]:
        models = json.dumps([{"api_identifier": "m", "config": config}])
        found = db.execute(
            "select sync_apply_provider_models(%s, %s::jsonb)", (provider, models)
        ).fetchone()
        assert found is not None
        result: dict[str, Any] = found[0]
        return result

    apply(b)
    db.execute(
        "update ai_providers set config = %s::jsonb where provider = %s", (json.dumps(c), provider)
    )
    result = apply(n)
    found = db.execute(
        "select config, sync_baseline from ai_providers where provider = %s", (provider,)
    ).fetchone()
    assert found is not None
    config, baseline = found
    expected, kept = model_merge(b, c, n)
    assert {k: v for k, v in config.items() if v is not None} == expected
    assert baseline == n
    assert result["overrides_kept"] == kept
