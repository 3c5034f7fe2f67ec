"""Errors of the catalog side (the database and its stores).

    SyncError
    ├── DatabaseUnavailable   cannot reach the database
    ├── MigrationError        a migration is missing, changed or failed
    └── StoreError            a store call failed (message from the database)
        ├── AlreadyRunning    another sync of that provider (or run) holds its lock
        └── StaleFingerprints the catalog moved since the fingerprints were read (resend whole)

Vendor errors live in ai_catalog/vendors/errors.py.
"""

from __future__ import annotations


class SyncError(Exception):
    pass


class DatabaseUnavailable(SyncError):
    pass


class MigrationError(SyncError):
    pass


class StoreError(SyncError):
    pass


class AlreadyRunning(StoreError):
    pass


class StaleFingerprints(StoreError):
    pass
