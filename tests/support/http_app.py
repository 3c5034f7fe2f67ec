"""The app under test: its settings and a log capture, for the HTTP tests' fixtures."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sync_ai_models.logs import JsonFormatter
from sync_ai_models.settings import Settings
from tests.support.http_doubles import JWT_SECRET, SERVICE_KEY

AppClientFactory = Callable[..., Any]


def make_settings(db_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": db_url,
        "supabase_url": None,
        "supabase_service_role_key": SERVICE_KEY,
        "supabase_jwt_secret": JWT_SECRET,
        **overrides,
    }
    return Settings(**values)


class LogLines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)
