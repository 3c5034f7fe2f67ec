"""What a database error means for the caller, stated once for both stores (Postgres, PostgREST).

A failed call is one of: another sync holds the lock (AlreadyRunning), the catalog moved under
the fingerprints (StaleFingerprints), the database is unavailable or cut the call short
(DatabaseUnavailable, with a short reason; LockTimeout for a row lock held too long), or an
error of the call itself (StoreError).
"""

from __future__ import annotations

from dataclasses import dataclass

from ai_catalog.errors import (
    AlreadyRunning,
    DatabaseUnavailable,
    LockTimeout,
    StaleFingerprints,
    StoreError,
)

LOCK_NOT_AVAILABLE = "55P03"
STALE_FINGERPRINTS = "AISTL"  # raised by sync_apply_provider_models
ALREADY_RUNNING_PREFIX = "already running"  # how our SQL words a lock another sync holds

# SQLSTATE (exact, then by its two-character class) -> short reason; each means "try again later"
UNAVAILABLE_STATES: dict[str, str] = {
    "57014": "statement timeout",
    "57P01": "connection terminated by the server",
    "57P02": "database server crashed",
    "57P03": "database is starting or shutting down",
    "57P05": "connection terminated for being idle",
    "40001": "serialization failure",
    "40P01": "deadlock detected",
    "08": "connection lost",
    "53": "database out of resources",
    "57": "database operator intervention",
    "58": "database system error",
    # PostgREST cannot reach the database, or lost its schema cache
    "PGRST000": "PostgREST cannot connect to the database",
    "PGRST001": "PostgREST lost the database connection",
    "PGRST002": "PostgREST cannot load the schema",
    "PGRST003": "PostgREST timed out waiting for a connection",
    # an HTTP status instead of a code: a gateway in front of PostgREST answered with no JSON
    "502": "the Supabase gateway answered 502",
    "503": "the Supabase gateway answered 503",
    "504": "the Supabase gateway answered 504",
}


@dataclass(frozen=True)
class Failure:
    sqlstate: str | None
    message: str


def store_error(failure: Failure) -> StoreError:
    """The error to raise for a database error with this SQLSTATE and message."""
    state, message = failure.sqlstate, failure.message
    if state == LOCK_NOT_AVAILABLE:
        if message.startswith(ALREADY_RUNNING_PREFIX):
            return AlreadyRunning(message)
        return LockTimeout(f"lock timeout: {message}")
    if state == STALE_FINGERPRINTS:
        return StaleFingerprints(message)
    reason = unavailable_reason(state)
    if reason is not None:
        return DatabaseUnavailable(f"{reason}: {message}")
    return StoreError(message)


def unavailable_reason(sqlstate: str | None) -> str | None:
    if sqlstate is None:
        return None
    return UNAVAILABLE_STATES.get(sqlstate) or UNAVAILABLE_STATES.get(sqlstate[:2])
