"""Errors of the catalog side (the database and its stores).

    SyncError
    ├── MigrationError          a migration is missing, changed or failed
    └── StoreError              a store call failed (message from the database)
        ├── DatabaseUnavailable cannot reach the database, or it cut the call short (connection
        │   │                   lost, server shutting down, backend killed, statement timeout)
        │   └── LockTimeout     waited past the lock timeout for a row someone else holds
        ├── AlreadyRunning      another sync of that provider (or run) holds its lock
        └── StaleFingerprints   the catalog moved since the fingerprints were read (resend whole)

DatabaseUnavailable and LockTimeout are transient: the HTTP API answers them with 503.

Vendor errors live in ai_catalog/vendors/errors.py.
"""

from __future__ import annotations


class SyncError(Exception):
    pass


class MigrationError(SyncError):
    pass


class StoreError(SyncError):
    pass


class DatabaseUnavailable(StoreError):
    pass


class LockTimeout(DatabaseUnavailable):
    pass


class AlreadyRunning(StoreError):
    pass


class StaleFingerprints(StoreError):
    pass
