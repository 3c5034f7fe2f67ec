-- One row per sync run: the history, and (status 'queued') the queue workers claim from.
create table if not exists public.ai_sync_runs (
  id uuid primary key default gen_random_uuid(),
  trigger text not null check (trigger in ('http', 'cron', 'cli', 'worker', 'manual')),
  requested_by text,
  status text not null default 'queued'
    check (status in ('queued', 'running', 'succeeded', 'partial', 'failed')),
  providers text[],                          -- requested subset; null means every configured one
  dry_run boolean not null default false,
  force boolean not null default false,
  queued_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  claimed_by text,
  results jsonb not null default '[]'::jsonb, -- one object per provider
  totals jsonb not null default '{}'::jsonb,
  new_model_ids text[] not null default '{}',
  error text,
  check (status <> 'running' or started_at is not null),
  check (status not in ('succeeded', 'partial', 'failed') or finished_at is not null)
);

create index if not exists ai_sync_runs_queued_idx
  on public.ai_sync_runs (queued_at) where status = 'queued';
create index if not exists ai_sync_runs_finished_idx
  on public.ai_sync_runs (finished_at desc) where finished_at is not null;

alter table public.ai_sync_runs enable row level security;

drop policy if exists "Service role can read runs" on public.ai_sync_runs;
create policy "Service role can read runs"
  on public.ai_sync_runs for select to service_role using (true);
drop policy if exists "Service role can insert runs" on public.ai_sync_runs;
create policy "Service role can insert runs"
  on public.ai_sync_runs for insert to service_role with check (true);
drop policy if exists "Service role can update runs" on public.ai_sync_runs;
create policy "Service role can update runs"
  on public.ai_sync_runs for update to service_role using (true) with check (true);
drop policy if exists "Service role can delete runs" on public.ai_sync_runs;
create policy "Service role can delete runs"
  on public.ai_sync_runs for delete to service_role using (true);

revoke all on table public.ai_sync_runs from public, anon, authenticated;
grant select, insert, update, delete on table public.ai_sync_runs to service_role;
