"""Settings from the environment (names and meanings: README, Configuration)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("sync-ai-models")) / "pgdata"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    database_url: str | None = None
    """Direct Postgres connection; wins over Supabase when set."""
    supabase_url: str | None = None
    supabase_service_role_key: str | None = None
    supabase_jwt_secret: str | None = None
    sync_max_age_days: int = Field(default=30, gt=0)
    """A catalog older than this many days reports needs_sync."""
    sync_max_deactivate_share: float = Field(default=0.5, ge=0, le=1)
    """A vendor list that would deactivate more than this share of its active models is guarded."""
    sync_ai_models_sql_dir: Path | None = None
    """Overrides where the migrations live (by default the ones shipped in the package)."""
    sync_ai_models_data_dir: Path = Field(default_factory=_default_data_dir)
    """Data directory of the embedded Postgres (used when neither DATABASE_URL nor Supabase)."""

    @property
    def uses_supabase(self) -> bool:
        return self.database_url is None and bool(
            self.supabase_url and self.supabase_service_role_key
        )


def load_settings() -> Settings:
    return Settings()
