-- Every change to a model, field by field: by a sync run, or by a person editing the row.
create table if not exists public.ai_model_changes (
  id bigint generated always as identity primary key,
  model_id uuid not null,                    -- no foreign key: the history outlives a deleted row
  provider text not null,
  api_identifier text not null,
  run_id uuid references public.ai_sync_runs (id) on delete set null,
  kind text not null check (kind in (
    'added', 'updated', 'deactivated', 'reactivated', 'manual_edit',
    'override_kept', 'cap_clamped', 'override_reset')),
  changed_by_role text not null default current_user,
  changed_by_user text,                      -- the JWT's sub, when the edit came through the API
  changes jsonb not null default '{}'::jsonb, -- field -> {"old": ..., "new": ...}
  created_at timestamptz not null default now()
);

create index if not exists ai_model_changes_model_idx on public.ai_model_changes (model_id, id);
create index if not exists ai_model_changes_run_idx on public.ai_model_changes (run_id);

alter table public.ai_model_changes enable row level security;

drop policy if exists "Service role can read model changes" on public.ai_model_changes;
create policy "Service role can read model changes"
  on public.ai_model_changes for select to service_role using (true);
drop policy if exists "Service role can insert model changes" on public.ai_model_changes;
create policy "Service role can insert model changes"
  on public.ai_model_changes for insert to service_role with check (true);

revoke all on table public.ai_model_changes from public, anon, authenticated;
grant select, insert on table public.ai_model_changes to service_role;
