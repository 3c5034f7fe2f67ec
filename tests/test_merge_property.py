"""Property tests: the SQL merge rule agrees with a small Python model of it, for one value
(sync_merge_field, called directly), for a whole config (sync_merge_config) and through the
apply function (which adds the cap clamp and keeps vanished prices)."""

from __future__ import annotations

import itertools
import json
from typing import Any

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.types.json import Jsonb

COUNTS = ("context_window_tokens", "hard_cap_output_tokens", "provider_max_output_tokens")
STRATEGIES = [
    {"type": "tiktoken", "tiktoken_encoding_name": "o200k_base", "is_chatml_model": True},
    {"type": "tiktoken", "tiktoken_encoding_name": "cl100k_base", "is_chatml_model": True},
    {"type": "none"},
]
PRICES = (
    "input_token_cost_rate",
    "output_token_cost_rate",
    "cache_read_token_cost_rate",
    "cache_write_token_cost_rate",
)
_providers = itertools.count()


def model_field(b: Any, c: Any, n: Any) -> tuple[Any, bool]:
    """The rule for one value (None: missing or null): C == B takes N; else C, kept if N != B."""
    if c == b:
        return n, False
    return c, n != b


def model_config_merge(
    b: dict[str, Any], c: dict[str, Any], n: dict[str, Any]
) -> tuple[dict[str, Any], set[str]]:
    """The rule key by key: the merged config (unknown values left out), the keys kept."""
    merged: dict[str, Any] = {}
    kept: set[str] = set()
    for key in b.keys() | c.keys() | n.keys():
        value, override_kept = model_field(b.get(key), c.get(key), n.get(key))
        if override_kept:
            kept.add(key)
        if value is not None:
            merged[key] = value
    return merged, kept


def model_apply(
    b: dict[str, Any], c: dict[str, Any], n: dict[str, Any]
) -> tuple[dict[str, Any], int, dict[str, Any]]:
    """What the apply does: vanished prices keep B's value, then the merge, then the cap clamp.
    Answers the config, the overrides kept and the new baseline."""
    n = {**n, **{f: b[f] for f in PRICES if n.get(f) is None and b.get(f) is not None}}
    merged, kept = model_config_merge(b, c, n)
    cap, limit = merged.get("hard_cap_output_tokens"), merged.get("provider_max_output_tokens")
    if cap is not None and limit is not None and cap > limit:
        merged["hard_cap_output_tokens"] = limit
    return merged, len(kept), n


# JSON values whose equality is the same in Python and in jsonb (no floats: 1 == 1.0 in both,
# but True == 1 only in Python, so the canonical form below tells them apart)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "a", "A", "\u00e9"]),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from("xy"), inner),
    max_leaves=4,
)
MISSING = object()
field_values = st.just(MISSING) | json_values


def canonical(value: Any) -> str | None:
    return None if value is MISSING or value is None else json.dumps(value, sort_keys=True)


def as_param(value: Any) -> Jsonb | None:
    return None if value is MISSING else Jsonb(value)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(field_values, field_values, field_values)
def test_merge_field_matches_the_rule(db: psycopg.Connection, b: Any, c: Any, n: Any) -> None:
    found = db.execute(
        "select (m).value, (m).override_kept from sync_merge_field(%s, %s, %s) m",
        (as_param(b), as_param(c), as_param(n)),
    ).fetchone()
    assert found is not None
    value, kept = found
    expected_value, expected_kept = model_field(canonical(b), canonical(c), canonical(n))
    assert (canonical(value), kept) == (expected_value, expected_kept)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(st.sampled_from("abcd"), json_values, max_size=4),
    st.dictionaries(st.sampled_from("abcd"), json_values, max_size=4),
    st.dictionaries(st.sampled_from("abcd"), json_values, max_size=4),
)
def test_merge_config_matches_the_rule(
    db: psycopg.Connection, b: dict[str, Any], c: dict[str, Any], n: dict[str, Any]
) -> None:
    found = db.execute(
        "select config, kept from sync_merge_config(%s, %s, %s)", (Jsonb(b), Jsonb(c), Jsonb(n))
    ).fetchone()
    assert found is not None
    config, kept = found
    canon = {k: canonical(v) for k, v in config.items()}
    expected, expected_kept = model_config_merge(
        *({k: canonical(v) for k, v in d.items()} for d in (b, c, n))
    )
    assert canon == expected
    assert set(kept) == expected_kept
    for key in kept:
        assert kept[key] == {"kept": c.get(key), "baseline": b.get(key), "upstream": n.get(key)}


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
    expected, kept, expected_baseline = model_apply(b, c, n)
    assert {k: v for k, v in config.items() if v is not None} == expected
    assert baseline == expected_baseline
    assert result["overrides_kept"] == kept
