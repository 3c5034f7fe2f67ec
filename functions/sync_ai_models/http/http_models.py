"""What the HTTP handler reads and writes: the POST body and every JSON answer, as pydantic models.

The response models list their fields explicitly (extra fields are dropped), so nothing the
runner or the database carries beyond them (a key, a raw vendor entry) can reach a caller.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

from ai_catalog.types import ProviderResult
from ai_catalog.vendors import PROVIDERS
from sync_ai_models.runner import RunOutcome, SyncRequest

ProviderId = Annotated[str, Field(json_schema_extra={"enum": list(PROVIDERS)})]
RunStatus = Literal["succeeded", "partial", "failed"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class SyncBody(_Model):
    """The optional JSON body of `POST`. An empty body means: every configured vendor."""

    providers: list[ProviderId] | None = Field(default=None, min_length=1)
    """Sync only these vendors. Omit for every vendor that has a key."""
    dry_run: StrictBool = False
    """Report what would change; write nothing to the catalog."""
    force: StrictBool = False
    """Deactivate even past the deactivation guard's threshold."""
    run_id: UUID | None = None
    """Claim this queued run (queued by pg_cron or another caller) instead of starting one."""

    def to_request(self) -> SyncRequest:
        return SyncRequest(
            providers=self.providers, dry_run=self.dry_run, force=self.force, run_id=self.run_id
        )


class RunResponse(_Model):
    """The answer to `POST`: the run and one result per vendor."""

    run_id: UUID
    """The run's id (a row of `ai_sync_runs`)."""
    status: RunStatus
    """`succeeded` (HTTP 200), `partial` (207), `failed` (502, or 409 when every attempted
    vendor was already being synced)."""
    dry_run: bool
    """True when nothing was written."""
    results: list[ProviderResult]
    """One entry per vendor asked for, configured or not."""
    totals: dict[str, int]
    """Counts summed over the vendors."""
    catalogs: dict[str, str] = Field(default_factory=dict)
    """Maintained catalog read at run time -> which copy the run used: `live`, `last good copy
    of <time> (<why>)`, `none (<why>)` or `off`."""

    @classmethod
    def from_outcome(cls, outcome: RunOutcome) -> RunResponse:
        return cls(
            run_id=outcome.run_id,
            status=outcome.status,
            dry_run=outcome.dry_run,
            results=outcome.results,
            totals=outcome.totals,
            catalogs=outcome.catalogs,
        )


class LastRun(BaseModel):
    """A finished run as `ai_sync_runs` holds it (without the per-vendor results)."""

    model_config = ConfigDict(extra="allow", use_attribute_docstrings=True)

    id: UUID
    """The run's id."""
    trigger: str
    """Who started it: http, cron, cli, worker or manual."""
    status: str
    """succeeded, partial or failed."""
    requested_by: str | None = None
    """The caller (JWT subject, `service_role_key`, a user name, pg_cron)."""
    finished_at: datetime | None = None
    """When it finished."""
    totals: dict[str, int] = Field(default_factory=dict)
    """Counts summed over the vendors."""
    new_model_ids: list[str] = Field(default_factory=list)
    """`provider/model` ids added by the run."""
    error: str | None = None
    """Why the whole run failed, if it did."""


class NewModel(_Model):
    """A model the last successful run added that users can pick (active and enabled)."""

    provider: str
    """The vendor id."""
    api_identifier: str
    """The vendor's own model id."""
    name: str | None = None
    """The display name."""


class StatusResponse(BaseModel):
    """The answer to `GET`: the last finished run and whether the catalog needs a sync.
    Fields the database adds later pass through (additional properties)."""

    model_config = ConfigDict(extra="allow", use_attribute_docstrings=True)

    last_run: LastRun | None
    """The last finished (not dry) run; null before the first one."""
    last_success_at: datetime | None
    """When the last succeeded or partial run finished."""
    running: int
    """Runs in progress now."""
    queued: int
    """Runs waiting for a worker."""
    needs_sync: bool
    """True when no run succeeded within `max_age_days`."""
    max_age_days: int
    """`SYNC_MAX_AGE_DAYS`: how old the last success may be."""
    new_models: list[NewModel] | None = None
    """Models the last successful run added that users can pick."""
    new_model_count: int | None = None
    """How many `new_models` there are."""
    new_models_at: datetime | None = None
    """When the run that added them finished."""


class HealthResponse(_Model):
    """The answer to `GET /health` (no authentication)."""

    status: Literal["ok", "unavailable"]
    """`ok` when the database answered."""
    database: Literal["ok", "unavailable"]
    """Whether the database answered a query."""
    auth_configured: bool
    """False when neither SUPABASE_SERVICE_ROLE_KEY nor SUPABASE_JWT_SECRET is set: then every
    sync and status request is refused with 503."""


class ErrorResponse(_Model):
    """Any error answer."""

    error: str
    """What went wrong, in one line."""
    run_id: UUID | None = None
    """The run concerned, when there is one."""


def validation_message(exc: ValidationError) -> str:
    """One line naming each bad field, without echoing the values sent."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "body"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=False)
