"""OpenAI: ids only. Fine-tunes (`ft:<base>:...`, legacy `<base>:ft-...`) keep their base."""

from __future__ import annotations

import re
from typing import Any

from ai_catalog.types import ModelKind
from ai_catalog.vendors.kind_rules import OPENAI_RULES, kind_by_id
from ai_catalog.vendors.openai_compat import OpenAICompatAdapter

_FINE_TUNE = re.compile(r"^ft:(?P<base>[^:]+):|^(?P<legacy>[^:]+):ft-")
_REASONING = re.compile(r"^o\d|^gpt-5")


def fine_tune_base(model_id: str) -> str | None:
    match = _FINE_TUNE.match(model_id)
    return (match.group("base") or match.group("legacy")) if match else None


class OpenAIAdapter(OpenAICompatAdapter):
    provider = "openai"
    default_base_url = "https://api.openai.com/v1"
    kind_rules = OPENAI_RULES
    default_kind = "other"

    def kind_of(self, model_id: str, entry: dict[str, Any]) -> ModelKind:
        base = fine_tune_base(model_id)
        return kind_by_id(self.kind_rules, base or model_id, self.default_kind)

    def extra_fields(self, model_id: str, entry: dict[str, Any]) -> dict[str, Any]:
        base = fine_tune_base(model_id)
        if base is None:
            return {}
        return {"base_model": base}
