"""What a person reads after `sync`: one line per vendor as it finishes, then a summary table."""

from __future__ import annotations

import click

from ai_catalog.types import ProviderResult
from sync_ai_models.runner import RunOutcome

COLUMNS = (
    ("provider", 11),
    ("status", 15),
    ("new", 5),
    ("updated", 8),
    ("same", 6),
    ("deactivated", 12),
    ("reactivated", 12),
    ("overrides", 10),
)


def progress_line(result: ProviderResult) -> str:
    if result.status in ("skipped", "failed", "already_running", "lock_timeout"):
        return f"   {result.provider:<11} {result.status}: {result.error}"
    counts = (
        f"{result.inserted} new, {result.updated} updated, {result.deactivated} deactivated"
        + (
            f", {result.would_deactivate} NOT deactivated (guard)"
            if result.status == "guarded"
            else ""
        )
    )
    return f"   {result.provider:<11} {result.status} in {result.seconds:.2f}s: {counts}"


def print_summary(outcome: RunOutcome) -> None:
    header = "".join(name.ljust(width) for name, width in COLUMNS)
    click.echo(header.rstrip())
    for r in outcome.results:
        if r.status == "skipped":
            continue
        cells = (
            r.provider,
            r.status,
            r.inserted,
            r.updated,
            r.unchanged,
            r.deactivated,
            r.reactivated,
            r.overrides_kept,
        )
        click.echo(
            "".join(str(c).ljust(w) for c, (_, w) in zip(cells, COLUMNS, strict=True)).rstrip()
        )
    skipped = [r.provider for r in outcome.results if r.status == "skipped"]
    if skipped:
        click.echo(f"skipped (no key or not enabled): {', '.join(skipped)}")
    new_ids = [f"{r.provider}/{m}" for r in outcome.results for m in r.new_model_ids]
    if new_ids:
        shown = ", ".join(new_ids[:10]) + (
            f" and {len(new_ids) - 10} more" if len(new_ids) > 10 else ""
        )
        click.echo(f"new models: {shown}")
    mode = " (dry run: nothing written)" if outcome.dry_run else ""
    click.echo(f"run {outcome.run_id}: {outcome.status}{mode}")
