"""DeepSeek: two chat models, ids only, no `created`."""

from __future__ import annotations

from typing import Any

from shared.ai_service.openai_compat import OpenAICompatAdapter
from shared.vendor_model import Capabilities


class DeepSeekAdapter(OpenAICompatAdapter):
    provider = "deepseek"
    default_base_url = "https://api.deepseek.com"

    def extra_fields(self, model_id: str, entry: dict[str, Any]) -> dict[str, Any]:
        return {"capabilities": Capabilities(reasoning="reasoner" in model_id or None)}
