from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ai_catalog.errors import DatabaseUnavailable
from ai_catalog.model_config import ModelConfig, RoughCharCountStrategy, TiktokenStrategy
from sync_ai_models.commands import estimate as estimate_command
from sync_ai_models.commands.estimate import estimate
from tests.support.chats import CHATS

STORED = ModelConfig(
    input_token_cost_rate=Decimal("0.000001"),
    output_token_cost_rate=Decimal("0.000002"),
    context_window_tokens=1_000,
    tokenization_strategy=TiktokenStrategy(tiktoken_encoding_name="o200k_base"),
)
DEFAULT = ModelConfig(tokenization_strategy=RoughCharCountStrategy(chars_per_token_ratio=2.0))


@pytest.fixture
def messages_file(tmp_path: Path) -> Path:
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"system": "Be brief.", "messages": CHATS["plain"]}))
    return path


@pytest.fixture(autouse=True)
def stand_ins(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """A database holding openai/gpt-4o and a default builder, instead of the real ones."""
    state: dict[str, object] = {"db": {("openai", "gpt-4o"): STORED}}

    async def fetch(provider: str, model_id: str) -> ModelConfig | None:
        error = state.get("error")
        if isinstance(error, BaseException):
            raise error
        rows = state["db"]
        assert isinstance(rows, dict)
        return rows.get((provider, model_id))

    monkeypatch.setattr(estimate_command, "load_db_fetch", lambda: fetch)
    monkeypatch.setattr(
        estimate_command, "load_default_builder", lambda: lambda p, m: (DEFAULT, {})
    )
    return state


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(estimate, [str(a) for a in args])


def test_json_output_from_the_database(messages_file: Path) -> None:
    result = run("--provider", "openai", "--model", "gpt-4o", "--messages", messages_file, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # system "Be brief." + user "Hello!" with ChatML framing
    assert data["input_tokens"] == 3 + 1 + 3 + 3 + 1 + 2 + 3
    assert data["estimated"] is False
    assert data["config_source"] == "database"
    assert data["input_cost_usd"] == "0.000016"
    assert (data["max_output_tokens"], data["limited_by"]) == (984, "context_window")
    assert data["total_cost_usd"] == str(Decimal("0.000016") + 984 * Decimal("0.000002"))
    assert result.stderr == ""


def test_a_model_not_in_the_database_uses_the_default(messages_file: Path) -> None:
    result = run("--provider", "acme", "--model", "m1", "--messages", messages_file, "--json")
    data = json.loads(result.stdout)
    # "Be brief." + "Hello!" = 15 characters at 2 per token
    assert (data["config_source"], data["input_tokens"], data["estimated"]) == ("default", 8, True)
    assert data["input_cost_usd"] is None


@pytest.mark.parametrize(
    "error",
    [ConnectionRefusedError(111, "refused"), DatabaseUnavailable("cannot connect to the database")],
)
def test_an_unreachable_database_falls_back_with_a_note(
    messages_file: Path, stand_ins: dict[str, object], error: Exception
) -> None:
    stand_ins["error"] = error
    result = run("--provider", "openai", "--model", "gpt-4o", "--messages", messages_file, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["config_source"] == "default"
    assert result.stderr.count("\n") == 1 and "unreachable" in result.stderr


def test_without_a_database_module_the_default_is_used_with_a_note(
    messages_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(estimate_command, "load_db_fetch", lambda: None)
    result = run("--provider", "openai", "--model", "gpt-4o", "--messages", messages_file, "--json")
    assert json.loads(result.stdout)["config_source"] == "default"
    assert "using the default config" in result.stderr


def test_other_database_errors_are_not_hidden(
    messages_file: Path, stand_ins: dict[str, object]
) -> None:
    stand_ins["error"] = RuntimeError("bug")
    result = run("--provider", "openai", "--model", "gpt-4o", "--messages", messages_file)
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)


def test_a_plain_list_and_the_human_output(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(json.dumps(CHATS["plain"]))
    result = run(
        "--provider", "openai", "--model", "gpt-4o", "--messages", path, "--max-output-tokens", "10"
    )
    assert result.exit_code == 0
    assert "input tokens   9 (exact, tiktoken)" in result.stdout
    assert "max output     10 (requested)" in result.stdout


def test_a_budget_limits_the_output(messages_file: Path) -> None:
    result = run(
        "--provider", "openai", "--model", "gpt-4o", "--messages", messages_file,
        "--budget-usd", "0.000116", "--json",
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert (data["max_output_tokens"], data["limited_by"]) == (50, "budget")


def one_line_failure(result: Result, fragment: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert fragment in result.stderr


def test_a_missing_file_fails(tmp_path: Path) -> None:
    result = run("--provider", "p", "--model", "m", "--messages", tmp_path / "nope.json")
    one_line_failure(result, "cannot read messages file")


def test_bad_json_fails(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    one_line_failure(run("--provider", "p", "--model", "m", "--messages", path), "not valid JSON")


def test_a_malformed_chat_fails(tmp_path: Path) -> None:
    path = tmp_path / "chat.json"
    path.write_text(json.dumps([{"content": "no role"}]))
    result = run("--provider", "p", "--model", "m", "--messages", path)
    one_line_failure(result, "messages[0].role")


def test_an_unknown_strategy_fails(messages_file: Path, stand_ins: dict[str, object]) -> None:
    odd = ModelConfig.model_construct(
        tokenization_strategy={"type": "sentencepiece"}  # type: ignore[arg-type]  # deliberately invalid
    )
    stand_ins["db"] = {("openai", "gpt-4o"): odd}
    result = run("--provider", "openai", "--model", "gpt-4o", "--messages", messages_file)
    one_line_failure(result, "Unsupported tokenization strategy")


@pytest.mark.parametrize("budget", ["lots", "-1", "NaN"])
def test_a_bad_budget_is_a_usage_error(messages_file: Path, budget: str) -> None:
    result = run(
        "--provider", "p", "--model", "m", "--messages", messages_file, "--budget-usd", budget
    )
    assert result.exit_code == 2
