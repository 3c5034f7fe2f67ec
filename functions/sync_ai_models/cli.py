"""The `sync-ai-models` command line: a click group that imports a command's module only when
that command runs, so `estimate` needs only the core install and `--help` stays quick. Errors
become one line on stderr and a non-zero exit (`commands._errors`)."""

from __future__ import annotations

import importlib
import logging
import sys

import click

from sync_ai_models.logs import configure_logging

# command name -> "module:attribute" under sync_ai_models.commands
COMMANDS = {
    "migrate": "migrate:migrate",
    "export-migrations": "export_migrations:export_migrations",
    "sync": "sync:sync",
    "status": "status:status",
    "estimate": "estimate:estimate",
    "serve": "serve:serve",
    "worker": "worker:worker",
    "demo": "demo:demo",
    "release-adopted": "release:release_adopted",
}


OUR_PACKAGES = ("sync_ai_models", "ai_catalog")
SERVER_EXTRA = "pip install 'sync-ai-models[server]'"


def needs_server_extra(name: str, missing: str) -> click.Command:
    """Stands in for a command whose dependencies are not installed (a core install)."""

    def refuse() -> None:
        raise click.ClickException(
            f"`{name}` needs the server extra ({missing} is missing): {SERVER_EXTRA}"
        )

    return click.Command(
        name,
        callback=refuse,
        help=f"(needs the server extra: {SERVER_EXTRA})",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )


class LazyGroup(click.Group):
    """click's documented lazy-loading group: commands are listed by name, imported on use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(f"sync_ai_models.commands.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name is None or exc.name.split(".")[0] in OUR_PACKAGES:
                raise
            return needs_server_extra(cmd_name, exc.name)
        command = getattr(module, attribute)
        assert isinstance(command, click.Command), f"{target} is not a click command"
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log what happens (JSON lines on stderr).")
def main(verbose: bool) -> None:
    """Keep a Postgres catalog of AI models in step with the vendors' list-models APIs."""
    configure_logging(logging.INFO if verbose else logging.WARNING)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
