"""One module per `sync-ai-models` command; `sync_ai_models.cli` imports a module only when its
command runs (or when --help lists them)."""
