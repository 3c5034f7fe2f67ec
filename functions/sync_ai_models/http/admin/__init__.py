"""The admin page (/admin): the catalog, its sources and its runs, with "Sync now"."""

from sync_ai_models.http.admin.routes import admin_mount

__all__ = ["admin_mount"]
